import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from './provider.ts';
import { callTwiml, createTwilioProvider } from './twilio-provider.ts';

const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'twilio-auth-token-9d1e';

interface Received {
  path: string | undefined;
  authorization: string | undefined;
  contentType: string | undefined;
  form: URLSearchParams;
}

/** A local stand-in for api.twilio.com: answers as Twilio does (201 with a JSON resource, or an error object). */
async function startFakeTwilio(statuses: number[] = []) {
  const received: Received[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      received.push({ path: req.url, authorization: req.headers.authorization, contentType: req.headers['content-type'], form });
      const status = statuses[received.length - 1] ?? 201;
      res.writeHead(status, { 'content-type': 'application/json' });
      if (status !== 201) return res.end(JSON.stringify({ code: 21211, message: 'Invalid To phone number', status }));
      const sid = `${req.url?.endsWith('/Calls.json') ? 'CA' : 'SM'}${String(received.length).padStart(32, '0')}`;
      res.end(JSON.stringify({ sid, status: 'queued', to: form.get('To') }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('createTwilioProvider', () => {
  let fake: Awaited<ReturnType<typeof startFakeTwilio>> | undefined;
  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });

  const provider = (from = '+15005550006') =>
    createTwilioProvider({ apiUrl: fake!.apiUrl, accountSid: ACCOUNT, username: ACCOUNT, password: TOKEN, from });

  it('sends an SMS through the Messages API and returns its SID', async () => {
    fake = await startFakeTwilio();
    const receipt = await provider().send({ channel: 'sms', to: '+48601234789', body: '482913 is your code' });

    expect(receipt.providerMessageId).toBe(`SM${'1'.padStart(32, '0')}`);
    const [request] = fake.received;
    expect(request?.path).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
    expect(request?.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`);
    expect(request?.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(request!.form)).toEqual({ To: '+48601234789', From: '+15005550006', Body: '482913 is your code' });
  });

  it('sends from a messaging service when given its SID', async () => {
    fake = await startFakeTwilio();
    await provider('MG0123456789abcdef0123456789abcdef').send({ channel: 'sms', to: '+48601234789', body: 'x' });
    expect(fake.received[0]?.form.get('MessagingServiceSid')).toBe('MG0123456789abcdef0123456789abcdef');
    expect(fake.received[0]?.form.has('From')).toBe(false);
  });

  it('calls through the Calls API with TwiML that says the script in the user’s language', async () => {
    fake = await startFakeTwilio();
    const body = 'Twój kod to: 4, 8, 2, 9, 1, 3. Jeszcze raz: 4, 8, 2, 9, 1, 3. <a & b>';
    const receipt = await provider().send({ channel: 'voice', to: '+48221234567', body, language: 'pl' });

    expect(receipt.providerMessageId).toMatch(/^CA/);
    const [request] = fake.received;
    expect(request?.path).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Calls.json`);
    expect(request?.form.get('From')).toBe('+15005550006');
    const twiml = request?.form.get('Twiml') ?? '';
    expect(twiml).toContain('<Say language="pl-PL">Twój kod to: 4, 8, 2, 9, 1, 3. Jeszcze raz: 4, 8, 2, 9, 1, 3. &lt;a &amp; b&gt;</Say>');
    expect(twiml.match(/<Say/g)).toHaveLength(1);
  });

  it('reads English calls in en-US and keeps a language with a region', () => {
    expect(callTwiml({ channel: 'voice', to: '+1', body: 'x' })).toContain('language="en-US"');
    expect(callTwiml({ channel: 'voice', to: '+1', body: 'x', language: 'en-GB' })).toContain('language="en-GB"');
  });

  it('does not retry a refused message, and retries a failed API once', async () => {
    fake = await startFakeTwilio([400, 503, 201]);
    const refused = await provider()
      .send({ channel: 'sms', to: '+1', body: '482913' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DeliveryError);
    expect((refused as DeliveryError).reason).toBe('rejected');
    expect((refused as DeliveryError).message).not.toContain(TOKEN);
    expect((refused as DeliveryError).message).not.toContain('482913');
    expect(fake.received).toHaveLength(1);

    const receipt = await provider().send({ channel: 'sms', to: '+1', body: 'x' });
    expect(fake.received).toHaveLength(3);
    expect(receipt.providerMessageId).toMatch(/^SM/);
  });
});
