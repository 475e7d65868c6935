import enActivity from '../../../locales/en/activity.json';
import enDev from '../../../locales/en/dev.json';
import enSignIn from '../../../locales/en/sign-in.json';
import enErrors from '../../../locales/en/errors.json';
import plActivity from '../../../locales/pl/activity.json';
import plDev from '../../../locales/pl/dev.json';
import plSignIn from '../../../locales/pl/sign-in.json';
import plErrors from '../../../locales/pl/errors.json';
import enFirst from './strings-en.ts';
import plFirst from './strings-pl.ts';

export { languages, namespaces, type Language } from './languages.ts';

/**
 * Every language's strings at once, for tests and types; the client itself loads one
 * language's chunk when it is chosen (index.ts).
 */
export const resources = {
  en: { ...enFirst, activity: enActivity, dev: enDev, 'sign-in': enSignIn, errors: enErrors },
  pl: { ...plFirst, activity: plActivity, dev: plDev, 'sign-in': plSignIn, errors: plErrors },
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
  'this-wasnt-me': typeof import('../../../locales/en/this-wasnt-me.json');
  'password-reset': typeof import('../../../locales/en/password-reset.json');
};
