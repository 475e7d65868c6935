import { createInstance } from 'i18next';
import enNotifications from '../../../../locales/en/notifications.json' with { type: 'json' };
import plNotifications from '../../../../locales/pl/notifications.json' with { type: 'json' };

/**
 * Messages the server sends to people (notifications, SMS texts, call
 * scripts) come from the same locale files as the web client.
 */
export const serverLanguages = ['en', 'pl'] as const;
export type ServerLanguage = (typeof serverLanguages)[number];

const i18n = createInstance();
void i18n.init({
  initAsync: false,
  fallbackLng: 'en',
  supportedLngs: [...serverLanguages],
  ns: ['notifications'],
  defaultNS: 'notifications',
  interpolation: { escapeValue: false },
  resources: {
    en: { notifications: enNotifications },
    pl: { notifications: plNotifications },
  },
});

export function pickLanguage(preferred: string | null | undefined): ServerLanguage {
  const base = preferred?.toLowerCase().split(/[-_,;]/)[0];
  return serverLanguages.find((l) => l === base) ?? 'en';
}

export type Translate = (key: string, values?: Record<string, string | number>) => string;

/**
 * The client's i18next types describe the client's namespaces; server
 * messages use their own, so keys are plain strings here. The locale tests
 * check that every key used in the server exists in every language.
 */
export function translator(language: string | null | undefined): Translate {
  const t = i18n.t.bind(i18n) as unknown as (key: string, options: object) => string;
  const lng = pickLanguage(language);
  return (key, values) => t(key, { ...values, lng, ns: 'notifications' });
}
