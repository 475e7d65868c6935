import { DeliveryError, type DeliveryMessage, type DeliveryProvider } from './provider.ts';

export interface HttpDeliveryProviderOptions {
  /** The gateway endpoint that accepts one message per POST. */
  url: string;
  /** Sent as a bearer token (RFC 6750 §2.1); never logged nor put in an error. */
  token: string;
  /** Limit for each attempt, not for the whole send. Default 5000 ms. */
  timeoutMs?: number;
  /** For tests or a custom agent; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * One retry, no more: the user is waiting on the page for the code, and a
 * gateway that failed twice in a row is better reported than hammered.
 */
const MAX_ATTEMPTS = 2;

/** What one POST came to. `retry` says whether a second try could help. */
type AttemptOutcome = { kind: 'delivered' } | { kind: 'failed'; reason: DeliveryError['reason']; detail: string; retry: boolean };

/**
 * Only what the gateway needs to deliver. The user id stays here: the gateway
 * is a third party and has no use for our identifiers.
 */
function requestBody(message: DeliveryMessage): string {
  const { channel, to, body, subject } = message;
  return JSON.stringify(subject === undefined ? { channel, to, body } : { channel, to, body, subject });
}

/**
 * A system error code such as ECONNREFUSED helps whoever reads the log and
 * carries nothing secret; the rest of a fetch error (which may quote the URL)
 * is left out.
 */
function networkErrorCode(error: unknown): string | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code) ? code : undefined;
}

function outcomeOfStatus(status: number): AttemptOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  // 5xx (RFC 9110 §15.6): the gateway failed, not the message; it may work a
  // moment later, and if it does not, the service is as good as unreachable.
  if (status >= 500) return { kind: 'failed', reason: 'unreachable', detail: `answered ${status}`, retry: true };
  // 4xx (RFC 9110 §15.5): the gateway refused this message (bad number,
  // credentials, quota); sending it again would be refused again. Redirects
  // land here too: they are not followed (see `redirect` below).
  return { kind: 'failed', reason: 'rejected', detail: `answered ${status}`, retry: false };
}

/**
 * Sends SMS and voice messages through an HTTP gateway: one JSON POST per
 * message, authenticated with a bearer token.
 */
export function createHttpDeliveryProvider(options: HttpDeliveryProviderOptions): DeliveryProvider {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError('timeoutMs must be a positive number');
  const doFetch = options.fetchImpl ?? fetch;

  async function attempt(body: string): Promise<AttemptOutcome> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await doFetch(options.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        body,
        signal,
        // Following a redirect would re-send the message, and perhaps the
        // token, to an address nobody configured.
        redirect: 'manual',
      });
      // The answer's content is not needed; discarding it frees the connection.
      await response.body?.cancel().catch(() => undefined);
      return outcomeOfStatus(response.status);
    } catch (error) {
      if (signal.aborted) return { kind: 'failed', reason: 'timeout', detail: `no answer within ${timeoutMs} ms`, retry: true };
      const code = networkErrorCode(error);
      return { kind: 'failed', reason: 'unreachable', detail: code ? `unreachable (${code})` : 'unreachable', retry: true };
    }
  }

  return {
    name: 'http',
    async send(message: DeliveryMessage) {
      const body = requestBody(message);
      let outcome = await attempt(body);
      let attempts = 1;
      while (outcome.kind === 'failed' && outcome.retry && attempts < MAX_ATTEMPTS) {
        outcome = await attempt(body);
        attempts++;
      }
      if (outcome.kind === 'failed') {
        // Built only from status codes and fixed words: neither the token nor
        // the message (which holds the one-time code) may reach a log.
        const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
        throw new DeliveryError(`Delivery gateway ${outcome.detail} (${tries})`, outcome.reason);
      }
    },
  };
}
