import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setRequestLanguage } from '../api/client.ts';
import { languages, namespaces, resources, type Language } from './resources.ts';

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

function applyLanguage(lng: string): void {
  document.documentElement.lang = lng;
  setRequestLanguage(lng);
}

export async function initI18n(): Promise<typeof i18next> {
  i18next.on('languageChanged', applyLanguage);
  await i18next.use(initReactI18next).init({
    lng: detectLanguage(),
    fallbackLng: false,
    supportedLngs: [...languages],
    ns: [...namespaces],
    defaultNS: 'common',
    resources,
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
