/** The namespaces every page may need, loaded with the language; the admin area adds its own (admin-namespace.ts). */
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
