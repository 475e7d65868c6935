import en from './strings-en.ts';
import pl from './strings-pl.ts';

export { languages, namespaces, type Language } from './languages.ts';

/**
 * Every language's strings at once, for tests and types; the client itself loads one
 * language's chunk when it is chosen (index.ts).
 */
export const resources = { en, pl } as const;

/**
 * Namespaces that only some pages need travel with those pages (see admin-namespace.ts), so
 * every visitor does not download them; their keys are typed all the same.
 */
export type Resources = (typeof resources)['en'] & {
  admin: typeof import('../../../locales/en/admin.json');
  'admin-log': typeof import('../../../locales/en/admin-log.json');
  'hardware-token-admin': typeof import('../../../locales/en/hardware-token-admin.json');
  'hardware-token-forms': typeof import('../../../locales/en/hardware-token-forms.json');
};
