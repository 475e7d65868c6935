// One language's strings: the client loads this chunk only once the language is chosen (index.ts).
import enCommon from '../../../locales/en/common.json';
import enSecurityInfo from '../../../locales/en/security-info.json';
import enMethods from '../../../locales/en/methods.json';
import enAppPasswords from '../../../locales/en/app-passwords.json';
import enWebauthn from '../../../locales/en/webauthn.json';
import enPhone from '../../../locales/en/phone.json';
import enHardwareToken from '../../../locales/en/hardware-token.json';
import enRecoveryCodes from '../../../locales/en/recovery-codes.json';

export default {
  common: enCommon,
  'security-info': enSecurityInfo,
  methods: enMethods,
  'app-passwords': enAppPasswords,
  webauthn: enWebauthn,
  phone: enPhone,
  'hardware-token': enHardwareToken,
  'recovery-codes': enRecoveryCodes,
} as const;
