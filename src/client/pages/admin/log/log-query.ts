import type { LogFilterInput } from '../../../../shared/api/admin-log.ts';

/** The filter fields the page keeps in its URL, so a filtered view can be linked. */
export const filterKeys = ['user', 'userMatch', 'method', 'result', 'denialReason', 'from', 'to', 'clientIp'] as const;
export type FilterKey = (typeof filterKeys)[number];

/** The URL's filters as the API takes them; empty fields are left out. Values are checked by the server. */
export function filterFromSearch(search: URLSearchParams): Record<FilterKey, string | undefined> {
  const get = (key: FilterKey) => search.get(key) || undefined;
  return {
    user: get('user'),
    userMatch: get('userMatch'),
    method: get('method'),
    result: get('result'),
    denialReason: get('denialReason'),
    from: get('from'),
    to: get('to'),
    clientIp: get('clientIp'),
  };
}

/** The CSV export's address for the same filters. */
export function csvHref(path: string, filter: LogFilterInput | Record<FilterKey, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) search.set(key, String(value));
  return search.size ? `${path}?${search}` : path;
}

/** `<input type="datetime-local">` speaks the reader's local time without a zone; the URL and API carry ISO instants. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

export function isoToLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
