import enCommon from '../../../locales/en/common.json';
import enSignIn from '../../../locales/en/sign-in.json';
import enSecurityInfo from '../../../locales/en/security-info.json';
import enMethods from '../../../locales/en/methods.json';
import enErrors from '../../../locales/en/errors.json';
import enActivity from '../../../locales/en/activity.json';
import enDev from '../../../locales/en/dev.json';
import enAppPasswords from '../../../locales/en/app-passwords.json';
import enWebauthn from '../../../locales/en/webauthn.json';
import enPhone from '../../../locales/en/phone.json';
import enHardwareToken from '../../../locales/en/hardware-token.json';
import plCommon from '../../../locales/pl/common.json';
import plSignIn from '../../../locales/pl/sign-in.json';
import plSecurityInfo from '../../../locales/pl/security-info.json';
import plMethods from '../../../locales/pl/methods.json';
import plErrors from '../../../locales/pl/errors.json';
import plActivity from '../../../locales/pl/activity.json';
import plDev from '../../../locales/pl/dev.json';
import plAppPasswords from '../../../locales/pl/app-passwords.json';
import plWebauthn from '../../../locales/pl/webauthn.json';
import plPhone from '../../../locales/pl/phone.json';
import plHardwareToken from '../../../locales/pl/hardware-token.json';

export const namespaces = [
  'common',
  'sign-in',
  'security-info',
  'methods',
  'errors',
  'activity',
  'dev',
  'app-passwords',
  'webauthn',
  'phone',
  'hardware-token',
] as const;
export const languages = ['en', 'pl'] as const;
export type Language = (typeof languages)[number];

export const resources = {
  en: {
    common: enCommon,
    'sign-in': enSignIn,
    'security-info': enSecurityInfo,
    methods: enMethods,
    errors: enErrors,
    activity: enActivity,
    dev: enDev,
    'app-passwords': enAppPasswords,
    webauthn: enWebauthn,
    phone: enPhone,
    'hardware-token': enHardwareToken,
  },
  pl: {
    common: plCommon,
    'sign-in': plSignIn,
    'security-info': plSecurityInfo,
    methods: plMethods,
    errors: plErrors,
    activity: plActivity,
    dev: plDev,
    'app-passwords': plAppPasswords,
    webauthn: plWebauthn,
    phone: plPhone,
    'hardware-token': plHardwareToken,
  },
} as const;

/**
 * Namespaces that only some pages need travel with those pages (see admin-namespace.ts), so
 * every visitor does not download them; their keys are typed all the same.
 */
export type Resources = (typeof resources)['en'] & {
  admin: typeof import('../../../locales/en/admin.json');
  'admin-log': typeof import('../../../locales/en/admin-log.json');
  'hardware-token-admin': typeof import('../../../locales/en/hardware-token-admin.json');
  'hardware-token-forms': typeof import('../../../locales/en/hardware-token-forms.json');
  'password-reset': typeof import('../../../locales/en/password-reset.json');
};
