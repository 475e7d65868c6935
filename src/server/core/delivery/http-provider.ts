import { idField, postToGateway } from './gateway-post.ts';
import type { DeliveryMessage, DeliveryProvider } from './provider.ts';

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
 * Only what the gateway needs to deliver. The user id stays here: the gateway
 * is a third party and has no use for our identifiers.
 */
function requestBody(message: DeliveryMessage): string {
  const { channel, to, body, subject } = message;
  return JSON.stringify(subject === undefined ? { channel, to, body } : { channel, to, body, subject });
}

/**
 * Sends SMS and voice messages through an HTTP gateway: one JSON POST per
 * message, authenticated with a bearer token. A JSON answer with a string `id`
 * gives the message's id at the gateway.
 */
export function createHttpDeliveryProvider(options: HttpDeliveryProviderOptions): DeliveryProvider {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError('timeoutMs must be a positive number');

  return {
    name: 'http',
    async send(message: DeliveryMessage) {
      const answer = await postToGateway({
        url: options.url,
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        body: requestBody(message),
        timeoutMs,
        fetchImpl: options.fetchImpl ?? fetch,
        label: 'Delivery gateway',
      });
      return { providerMessageId: idField(answer, 'id') };
    },
  };
}
