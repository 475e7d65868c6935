import i18next, { type BackendModule, type ResourceKey } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setRequestLanguage } from '../api/client.ts';
import { firstNamespaces, languages, type Language } from './languages.ts';

const STORAGE_KEY = 'secinfo.language';

export function isLanguage(value: string | null | undefined): value is Language {
  return languages.some((lng) => lng === value);
}

/** The user's own choice first, then the browser's preferences, then English. */
export function detectLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage can be unavailable (privacy modes); fall through to the browser's languages.
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/** Each language's strings are a chunk of their own, fetched when that language is chosen. */
const strings: Record<Language, () => Promise<{ default: Record<string, ResourceKey> }>> = {
  en: () => import('./strings-en.ts'),
  pl: () => import('./strings-pl.ts'),
};

/** The namespaces in `laterNamespaces`, one chunk per language and namespace. */
const later = import.meta.glob<ResourceKey>('../../../locales/*/{activity,dev,sign-in,errors}.json', { import: 'default' });

/**
 * An i18next backend reading those chunks: i18next waits for it before `init` and
 * `changeLanguage` resolve, so the first render never shows untranslated keys.
 */
const languageChunks: BackendModule = {
  type: 'backend',
  init() {},
  read(lng, ns, done) {
    if (!isLanguage(lng)) return done(null, {});
    const one = later[`../../../locales/${lng}/${ns}.json`];
    (one ? one() : strings[lng]().then((chunk) => chunk.default[ns] ?? {})).then(
      (data) => done(null, data),
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error)), false),
    );
  },
};

function applyLanguage(lng: string): void {
  document.documentElement.lang = lng;
  setRequestLanguage(lng);
}

export async function initI18n(): Promise<typeof i18next> {
  i18next.on('languageChanged', applyLanguage);
  await i18next
    .use(languageChunks)
    .use(initReactI18next)
    .init({
      lng: detectLanguage(),
      fallbackLng: false,
      supportedLngs: [...languages],
      ns: [...firstNamespaces],
      defaultNS: 'common',
      // The admin area adds its namespaces to both languages (admin-namespace.ts); the rest comes from the chunks.
      partialBundledLanguages: true,
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  applyLanguage(i18next.language);
  return i18next;
}

export async function chooseLanguage(lng: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // The choice still applies to this visit.
  }
  await i18next.changeLanguage(lng);
}
