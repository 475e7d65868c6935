import { createInstance, type TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { resources } from '../i18n/resources.ts';
import { describeError } from './describe-error.ts';

async function errorsT(lng: 'en' | 'pl'): Promise<TFunction<'errors'>> {
  const i18n = createInstance();
  await i18n.init({ lng, resources, ns: ['errors'], defaultNS: 'errors', interpolation: { escapeValue: false } });
  return i18n.getFixedT(lng, 'errors') as TFunction<'errors'>;
}

const throttled = (seconds: number) => new ApiError(429, { code: 'too_many_attempts', retryAfterSeconds: seconds });

describe('describeError', () => {
  it('says how long to wait, with Polish plural forms', async () => {
    const pl = await errorsT('pl');
    expect(describeError(pl, throttled(1))).toBe('Zbyt wiele prób. Spróbuj ponownie za 1 sekundę.');
    expect(describeError(pl, throttled(3))).toBe('Zbyt wiele prób. Spróbuj ponownie za 3 sekundy.');
    expect(describeError(pl, throttled(5))).toBe('Zbyt wiele prób. Spróbuj ponownie za 5 sekund.');
    expect(describeError(pl, throttled(22))).toBe('Zbyt wiele prób. Spróbuj ponownie za 22 sekundy.');
    expect(describeError(pl, throttled(600))).toBe('Zbyt wiele prób. Spróbuj ponownie za 10 minut.');
  });

  it('rounds long waits up to minutes in English', async () => {
    const en = await errorsT('en');
    expect(describeError(en, throttled(1))).toBe('Too many attempts. Try again in 1 second.');
    expect(describeError(en, throttled(121))).toBe('Too many attempts. Try again in 3 minutes.');
  });

  it('mentions the attempts left, and falls back for unknown failures', async () => {
    const en = await errorsT('en');
    expect(describeError(en, new ApiError(400, { code: 'invalid_code', attemptsLeft: 1 }))).toBe(
      'That code is not correct. 1 attempt left before you have to wait.',
    );
    expect(describeError(en, new Error('boom'))).toBe('Something went wrong on our side. Try again in a moment.');
    expect(describeError(en, new ApiError(0, { code: 'network_error' }))).toContain('could not reach the server');
  });
});
