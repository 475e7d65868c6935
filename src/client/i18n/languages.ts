/**
 * The namespaces of every page. All but `laterNamespaces` come in one chunk per language when the
 * language is chosen (strings-en.ts); the admin area adds its own (admin-namespace.ts).
 */
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
  'recovery-codes',
] as const;
export const languages = ['en', 'pl'] as const;
export type Language = (typeof languages)[number];

/**
 * Namespaces only their own pages or moments use (a page, the sign-in steps and re-verification, an
 * error shown): each is fetched when a component first asks for it (index.ts).
 */
export const laterNamespaces = ['activity', 'dev', 'sign-in', 'errors'] as const;
export const firstNamespaces = namespaces.filter((ns) => !(laterNamespaces as readonly string[]).includes(ns));
