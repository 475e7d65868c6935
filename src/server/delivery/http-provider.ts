import { DeliveryError, type DeliveryMessage, type DeliveryProvider } from './provider.ts';

// Placeholder until the SMS-gateway provider lands (helper task); same signature.
export function createHttpDeliveryProvider(options: { url: string; token: string; timeoutMs?: number; fetchImpl?: typeof fetch }): DeliveryProvider {
  const doFetch = options.fetchImpl ?? fetch;
  return {
    name: 'http',
    async send(message: DeliveryMessage) {
      const res = await doFetch(options.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ channel: message.channel, to: message.to, body: message.body, subject: message.subject }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      }).catch(() => {
        throw new DeliveryError('SMS gateway unreachable', 'unreachable');
      });
      if (!res.ok) throw new DeliveryError(`SMS gateway answered ${res.status}`, 'rejected');
    },
  };
}
