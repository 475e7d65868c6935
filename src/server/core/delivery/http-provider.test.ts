import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpDeliveryProvider } from './http-provider.ts';
import { DeliveryError } from './provider.ts';
import type { DeliveryMessage } from './provider.ts';

const TOKEN = 'test-gateway-token-5f2c';
const MESSAGE: DeliveryMessage = {
  channel: 'sms',
  to: '+48601234789',
  body: 'Your verification code is 482913',
  userId: 'user-123',
};

interface ReceivedRequest {
  method: string | undefined;
  path: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
}

/** How the fake gateway treats the n-th request; a handler that never calls `res.end` never answers. */
type Behaviour = (res: ServerResponse) => void;

const answer =
  (status: number): Behaviour =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status }));
  };
const neverAnswer: Behaviour = () => undefined;

/** A real HTTP server on a free local port, standing in for the SMS gateway. */
async function startFakeGateway(behaviours: Behaviour[]) {
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method, path: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const behaviour = behaviours[received.length - 1] ?? answer(200);
      behaviour(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/messages`,
    received,
    async stop() {
      // Requests left hanging on purpose would keep close() waiting forever.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

async function sendExpectingFailure(send: () => Promise<unknown>): Promise<DeliveryError> {
  const error: unknown = await send().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  const deliveryError = error as DeliveryError;
  // Nothing secret may leak into logs through the error.
  expect(deliveryError.message).not.toContain(TOKEN);
  expect(deliveryError.message).not.toContain(MESSAGE.body);
  expect(deliveryError.message).not.toContain('482913');
  return deliveryError;
}

describe('createHttpDeliveryProvider', () => {
  let gateway: Awaited<ReturnType<typeof startFakeGateway>> | undefined;

  beforeEach(() => {
    gateway = undefined;
  });

  afterEach(async () => {
    await gateway?.stop();
  });

  it('is called http', () => {
    expect(createHttpDeliveryProvider({ url: 'http://127.0.0.1:1/', token: TOKEN }).name).toBe('http');
  });

  it('POSTs the message as JSON with the bearer token, without the user id', async () => {
    gateway = await startFakeGateway([answer(202)]);
    const provider = createHttpDeliveryProvider({ url: gateway.url, token: TOKEN });

    await provider.send(MESSAGE);

    expect(gateway.received).toHaveLength(1);
    const [request] = gateway.received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/messages');
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({ channel: 'sms', to: '+48601234789', body: MESSAGE.body });
  });

  it('returns the id the gateway gives in its JSON answer, or none', async () => {
    gateway = await startFakeGateway([
      (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'msg-7f3a' }));
      },
      answer(200),
    ]);
    const provider = createHttpDeliveryProvider({ url: gateway.url, token: TOKEN });
    expect(await provider.send(MESSAGE)).toEqual({ providerMessageId: 'msg-7f3a' });
    expect(await provider.send(MESSAGE)).toEqual({ providerMessageId: null });
  });

  it('includes the subject when there is one', async () => {
    gateway = await startFakeGateway([answer(200)]);
    const provider = createHttpDeliveryProvider({ url: gateway.url, token: TOKEN });

    await provider.send({ channel: 'voice', to: '+12015550123', body: 'Press pound to sign in', subject: 'Sign-in' });

    expect(JSON.parse(gateway.received[0]?.body ?? '')).toEqual({
      channel: 'voice',
      to: '+12015550123',
      body: 'Press pound to sign in',
      subject: 'Sign-in',
    });
  });

  it('gives up after two attempts at a gateway that never answers', async () => {
    gateway = await startFakeGateway([neverAnswer, neverAnswer]);
    const provider = createHttpDeliveryProvider({ url: gateway.url, token: TOKEN, timeoutMs: 150 });

    const error = await sendExpectingFailure(() => provider.send(MESSAGE));

    expect(error.reason).toBe('timeout');
    expect(gateway.received).toHaveLength(2);
  });

  it('fails after a server error twice', async () => {
    gateway = await startFakeGateway([answer(500), answer(500)]);
    const provider = createHttpDeliveryProvider({ url: gateway.url, token: TOKEN });

    const error = await sendExpectingFailure(() => provider.send(MESSAGE));

    expect(error.reason).toBe('unreachable');
    expect(error.message).toContain('500');
    expect(gateway.received).toHaveLength(2);
  });

  it('succeeds when the retry after a server error goes through', async () => {
    gateway = await startFakeGateway([answer(500), answer(200)]);
    const provider = createHttpDeliveryProvider({ url: gateway.url, token: TOKEN });

    await provider.send(MESSAGE);

    expect(gateway.received).toHaveLength(2);
    expect(gateway.received[1]?.body).toBe(gateway.received[0]?.body);
  });

  it('succeeds when the retry after a timeout goes through', async () => {
    gateway = await startFakeGateway([neverAnswer, answer(200)]);
    const provider = createHttpDeliveryProvider({ url: gateway.url, token: TOKEN, timeoutMs: 150 });

    await provider.send(MESSAGE);

    expect(gateway.received).toHaveLength(2);
  });

  it('does not retry a message the gateway rejected', async () => {
    gateway = await startFakeGateway([answer(400), answer(200)]);
    const provider = createHttpDeliveryProvider({ url: gateway.url, token: TOKEN });

    const error = await sendExpectingFailure(() => provider.send(MESSAGE));

    expect(error.reason).toBe('rejected');
    expect(error.message).toContain('400');
    expect(gateway.received).toHaveLength(1);
  });

  it('does not follow redirects', async () => {
    gateway = await startFakeGateway([
      (res) => {
        res.writeHead(307, { location: 'http://127.0.0.1:1/elsewhere' });
        res.end();
      },
    ]);
    const provider = createHttpDeliveryProvider({ url: gateway.url, token: TOKEN });

    const error = await sendExpectingFailure(() => provider.send(MESSAGE));

    expect(error.reason).toBe('rejected');
    expect(gateway.received).toHaveLength(1);
  });

  it('reports a gateway nobody listens at as unreachable', async () => {
    // Take a free port, then free it again: connecting to it is refused.
    const closed = await startFakeGateway([]);
    await closed.stop();
    let attempts = 0;
    const countingFetch: typeof fetch = (input, init) => {
      attempts++;
      return fetch(input, init);
    };
    const provider = createHttpDeliveryProvider({ url: closed.url, token: TOKEN, fetchImpl: countingFetch });

    const error = await sendExpectingFailure(() => provider.send(MESSAGE));

    expect(error.reason).toBe('unreachable');
    expect(error.message).toContain('ECONNREFUSED');
    expect(attempts).toBe(2);
  });

  it('refuses a timeout that is not a positive number', () => {
    expect(() => createHttpDeliveryProvider({ url: 'http://127.0.0.1:1/', token: TOKEN, timeoutMs: 0 })).toThrow(RangeError);
  });
});
