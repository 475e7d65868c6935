import type { TFunction } from 'i18next';
import { ApiError } from '../api/client.ts';

/** A translated sentence for any error the API client can raise. */
export function describeError(t: TFunction<'errors'>, error: unknown): string {
  if (!(error instanceof ApiError)) return t('internal_error');
  if (error.code === 'password_too_short' && error.data.minLength) return t('password_too_short', { count: error.data.minLength });
  const base = t(error.code);
  const wait = error.data.retryAfterSeconds;
  if (wait !== undefined && wait > 0) {
    const pause = wait >= 120 ? t('wait.minutes', { count: Math.ceil(wait / 60) }) : t('wait.seconds', { count: wait });
    return `${base} ${pause}`;
  }
  if (error.data.attemptsLeft !== undefined) return `${base} ${t('attemptsLeft', { count: error.data.attemptsLeft })}`;
  return base;
}
