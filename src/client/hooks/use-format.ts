import { useTranslation } from 'react-i18next';

/** Dates in the reader's language, with the time: when a method was added or last used. */
export function useFormatDateTime(): (iso: string) => string {
  const { i18n } = useTranslation();
  const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (iso) => format.format(new Date(iso));
}
