// One language's strings: the client loads this chunk only once the language is chosen (index.ts).
import plCommon from '../../../locales/pl/common.json';
import plSecurityInfo from '../../../locales/pl/security-info.json';
import plMethods from '../../../locales/pl/methods.json';
import plAppPasswords from '../../../locales/pl/app-passwords.json';
import plWebauthn from '../../../locales/pl/webauthn.json';
import plPhone from '../../../locales/pl/phone.json';
import plHardwareToken from '../../../locales/pl/hardware-token.json';
import plRecoveryCodes from '../../../locales/pl/recovery-codes.json';

export default {
  common: plCommon,
  'security-info': plSecurityInfo,
  methods: plMethods,
  'app-passwords': plAppPasswords,
  webauthn: plWebauthn,
  phone: plPhone,
  'hardware-token': plHardwareToken,
  'recovery-codes': plRecoveryCodes,
} as const;
