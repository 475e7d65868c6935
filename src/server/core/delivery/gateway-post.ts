import { DeliveryError } from './provider.ts';

export interface GatewayPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Limit for each attempt, not for the whole send. */
  timeoutMs: number;
  fetchImpl: typeof fetch;
  /** Names the gateway in the error: `Delivery gateway`, `Twilio`. */
  label: string;
}

/**
 * One retry, no more: the user is waiting on the page for the code, and a
 * gateway that failed twice in a row is better reported than hammered.
 */
const MAX_ATTEMPTS = 2;
/** A gateway's answer is a small JSON object; more is not read. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** What one POST came to. `retry` says whether a second try could help. */
type AttemptOutcome =
  { kind: 'delivered'; answer: unknown } | { kind: 'failed'; reason: DeliveryError['reason']; detail: string; retry: boolean };

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

function failureOfStatus(status: number): AttemptOutcome {
  // 5xx (RFC 9110 §15.6) and 429 (RFC 6585 §4): the gateway failed or is busy, not the message;
  // it may work a moment later, and if it does not, the service is as good as unreachable.
  if (status >= 500 || status === 429) return { kind: 'failed', reason: 'unreachable', detail: `answered ${status}`, retry: true };
  // 4xx (RFC 9110 §15.5): the gateway refused this message (bad number,
  // credentials, quota); sending it again would be refused again. Redirects
  // land here too: they are not followed (see `redirect` below).
  return { kind: 'failed', reason: 'rejected', detail: `answered ${status}`, retry: false };
}

/** The answer as JSON, or null when it is not JSON (a gateway need not say anything). */
async function answerOf(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.length > MAX_ANSWER_BYTES) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/**
 * POSTs one message to an SMS or voice gateway, trying once more when the
 * gateway failed or did not answer; returns the gateway's JSON answer.
 */
export async function postToGateway(post: GatewayPost): Promise<unknown> {
  async function attempt(): Promise<AttemptOutcome> {
    const signal = AbortSignal.timeout(post.timeoutMs);
    try {
      const response = await post.fetchImpl(post.url, {
        method: 'POST',
        headers: post.headers,
        body: post.body,
        signal,
        // Following a redirect would re-send the message, and perhaps the
        // credentials, to an address nobody configured.
        redirect: 'manual',
      });
      if (response.status >= 200 && response.status < 300) return { kind: 'delivered', answer: await answerOf(response) };
      // The answer's content is not needed; discarding it frees the connection.
      await response.body?.cancel().catch(() => undefined);
      return failureOfStatus(response.status);
    } catch (error) {
      if (signal.aborted) return { kind: 'failed', reason: 'timeout', detail: `no answer within ${post.timeoutMs} ms`, retry: true };
      const code = networkErrorCode(error);
      return { kind: 'failed', reason: 'unreachable', detail: code ? `unreachable (${code})` : 'unreachable', retry: true };
    }
  }

  let outcome = await attempt();
  let attempts = 1;
  while (outcome.kind === 'failed' && outcome.retry && attempts < MAX_ATTEMPTS) {
    outcome = await attempt();
    attempts++;
  }
  if (outcome.kind === 'failed') {
    // Built only from status codes and fixed words: neither the credentials nor
    // the message (which holds the one-time code) may reach a log.
    const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
    throw new DeliveryError(`${post.label} ${outcome.detail} (${tries})`, outcome.reason);
  }
  return outcome.answer;
}

/** A string field of a JSON answer, if it is a short printable id. */
export function idField(answer: unknown, field: string): string | null {
  const value = typeof answer === 'object' && answer !== null && field in answer ? (answer as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' && /^[\w.:-]{1,128}$/.test(value) ? value : null;
}
