import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phone, securityInfo, session } from '../../../shared/api/index.ts';
import type { CodeChallenge } from '../../../shared/api/phone.ts';
import type { SecurityInfo } from '../../../shared/api/security-info.ts';
import { createHttpDeliveryProvider } from '../../core/delivery/http-provider.ts';
import { createUser, errorCode, freshBrowser, lastPhoneCode, signIn, stageOf } from '../../test-support/flows.ts';
import { startSecondInstance, startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';
import type { TestBrowser } from '../../test-support/api-client.ts';

const MOBILE = { country: 'PL', number: '512 345 678', e164: '+48512345678' };

// Each send happens a second after the last, so "the newest message" is well defined on a frozen clock.
let clockOfSends: TestApp['clock'] | undefined;
const tick = () => clockOfSends?.advance(1);

async function startMobile(
  browser: TestBrowser,
  extra: Partial<{ delivery: 'sms' | 'voice'; replaceMethodId: string; number: string }> = {},
) {
  tick();
  return browser.call(phone.startPhoneSetup, {
    body: {
      phoneKind: 'mobile',
      country: MOBILE.country,
      number: extra.number ?? MOBILE.number,
      delivery: extra.delivery ?? 'sms',
      ...(extra.replaceMethodId ? { replaceMethodId: extra.replaceMethodId } : {}),
    },
  });
}

describe.each(testDatabases)('phone methods (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    clockOfSends = t.clock;
  });
  afterAll(async () => t.close());

  it('registers a mobile phone by SMS, shows it formatted to its owner and masked at sign-in', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    const res = await startMobile(browser);
    expect(res.status).toBe(200);
    const challenge = res.body as CodeChallenge;
    expect(challenge).toMatchObject({
      delivery: 'sms',
      maskedNumber: '+48 ••• ••• 678',
      country: 'PL',
      expiresInSeconds: 180,
      sendsRemaining: 4,
    });
    // Nothing is saved before the code comes back.
    expect((await browser.call(securityInfo.getSecurityInfo)).body).toMatchObject({
      methods: [expect.objectContaining({ kind: 'authenticator' })],
    });

    const done = await browser.call(phone.confirmPhoneSetup, {
      body: { challengeId: challenge.challengeId, code: await lastPhoneCode(t, MOBILE.e164), label: 'Mobile phone' },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ method: { kind: 'phone', label: 'Mobile phone', detail: '+48 512 345 678' } });

    const other = await freshBrowser(t);
    const step = await other.call(session.signIn, { body: { username: user.username, password: user.password } });
    expect(step.body).toMatchObject({
      state: { options: expect.arrayContaining([expect.objectContaining({ kind: 'phone', detail: '+48 ••• ••• 678' })]) },
    });
    const log = await t.app.ctx.db
      .selectFrom('verification_log')
      .selectAll()
      .where('event', '=', 'security_info.method_added')
      .where('phone', '=', MOBILE.e164)
      .execute();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ auth_mode: 'sms', result: 'success', username: user.username });
    // The provider's id for the SMS is kept with the challenge and in the log record of the send.
    const sent = await t.app.ctx.db
      .selectFrom('verification_log')
      .select('provider_message_id')
      .where('event', '=', 'phone.code_sent')
      .where('phone', '=', MOBILE.e164)
      .orderBy('at', 'desc')
      .executeTakeFirstOrThrow();
    const kept = await t.app.ctx.db
      .selectFrom('phone_challenges')
      .select('provider_message_id')
      .where('id', '=', challenge.challengeId)
      .executeTakeFirstOrThrow();
    expect(sent.provider_message_id).toMatch(/^outbox-/);
    expect(kept.provider_message_id).toBe(sent.provider_message_id);
    const mine = JSON.stringify((await browser.call(securityInfo.getActivity, { query: {} })).body);
    expect(mine).toContain('+48 ••• ••• 678');
    expect(mine).not.toContain(MOBILE.e164);
  });

  it('registers an office phone by a call that reads the code out, with an extension', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    const sms = await browser.call(phone.startPhoneSetup, {
      body: { phoneKind: 'office', country: 'US', number: '(201) 555-0123', extension: '42', delivery: 'sms' },
    });
    expect(sms.status).toBe(400);
    tick();
    const res = await browser.call(phone.startPhoneSetup, {
      body: { phoneKind: 'office', country: 'US', number: '(201) 555-0123', extension: '42', delivery: 'voice' },
    });
    const challenge = res.body as CodeChallenge;
    const script = await t.app.ctx.db
      .selectFrom('outbox')
      .select(['channel', 'body'])
      .where('recipient', '=', '+12015550123')
      .executeTakeFirstOrThrow();
    expect(script.channel).toBe('voice');
    const done = await browser.call(phone.confirmPhoneSetup, {
      body: { challengeId: challenge.challengeId, code: await lastPhoneCode(t, '+12015550123'), label: 'Office phone' },
    });
    expect(done.body).toMatchObject({ method: { detail: '+1 201 555 0123 ext. 42' } });
  });

  it('refuses invalid and virtual numbers with a reason, and a second phone of the same kind', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    for (const [number, country, reason] of [
      ['123', 'PL', 'too_short'],
      ['call me maybe', 'PL', 'not_a_number'],
      ['056 1234 5678', 'GB', 'voip_not_allowed'],
    ] as const) {
      const res = await browser.call(phone.startPhoneSetup, { body: { phoneKind: 'mobile', country, number, delivery: 'sms' } });
      expect(res.status, number).toBe(400);
      expect(res.body).toEqual({ error: { code: 'phone_invalid', reason } });
    }
    const first = (await startMobile(browser)).body as CodeChallenge;
    await browser.call(phone.confirmPhoneSetup, {
      body: { challengeId: first.challengeId, code: await lastPhoneCode(t, MOBILE.e164), label: 'Mobile' },
    });
    expect(errorCode((await startMobile(browser, { number: '512 345 679' })).body)).toBe('phone_kind_taken');
  });

  it('allows five sends per five minutes, says how many are left and when the next is allowed', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    let challenge = (await startMobile(browser)).body as CodeChallenge;
    const remaining = [challenge.sendsRemaining];
    for (let i = 0; i < 4; i++) {
      t.clock.advance(10);
      const res = await browser.call(phone.resendPhoneCode, {
        body: { challengeId: challenge.challengeId, delivery: i === 3 ? 'voice' : 'sms' },
      });
      challenge = res.body as CodeChallenge;
      remaining.push(challenge.sendsRemaining);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    expect(challenge.nextSendInSeconds).toBe(260);
    const sixth = await browser.call(phone.resendPhoneCode, { body: { challengeId: challenge.challengeId, delivery: 'sms' } });
    expect(sixth.status).toBe(429);
    expect(sixth.body).toEqual({ error: { code: 'too_many_sends', retryAfterSeconds: 260 } });
    // The previous code stopped working when a new one was sent; the latest still works.
    t.clock.advance(260);
    expect((await browser.call(phone.resendPhoneCode, { body: { challengeId: challenge.challengeId, delivery: 'sms' } })).status).toBe(200);
  });

  it('expires a code after its lifetime, limits wrong attempts, and refuses a replay', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    const expiring = (await startMobile(browser)).body as CodeChallenge;
    const code = await lastPhoneCode(t, MOBILE.e164);
    t.clock.advance(181);
    expect(
      errorCode((await browser.call(phone.confirmPhoneSetup, { body: { challengeId: expiring.challengeId, code, label: 'M' } })).body),
    ).toBe('code_expired');

    const guessed = (await startMobile(browser)).body as CodeChallenge;
    const right = await lastPhoneCode(t, MOBILE.e164);
    const wrong = right === '000000' ? '111111' : '000000';
    const answers = [];
    for (let i = 0; i < 5; i++)
      answers.push(
        (await browser.call(phone.confirmPhoneSetup, { body: { challengeId: guessed.challengeId, code: wrong, label: 'M' } })).body,
      );
    expect(answers.map((a) => (a as { error: { attemptsLeft?: number } }).error.attemptsLeft)).toEqual([4, 3, 2, 1, 0]);
    const locked = await browser.call(phone.confirmPhoneSetup, { body: { challengeId: guessed.challengeId, code: right, label: 'M' } });
    expect(locked.status).toBe(429);

    const fresh = (await startMobile(browser)).body as CodeChallenge;
    const good = await lastPhoneCode(t, MOBILE.e164);
    expect((await browser.call(phone.confirmPhoneSetup, { body: { challengeId: fresh.challengeId, code: good, label: 'M' } })).status).toBe(
      200,
    );
    expect(
      errorCode((await browser.call(phone.confirmPhoneSetup, { body: { challengeId: fresh.challengeId, code: good, label: 'M' } })).body),
    ).toBe('code_already_used');
  });

  it('lets exactly one of several concurrent submissions of a code through', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const enrol = await signIn(t, user);
    const added = (await startMobile(enrol)).body as CodeChallenge;
    const code = await lastPhoneCode(t, MOBILE.e164);
    // Enrolment keeps the session, so every loser reaches the conditional consume.
    const confirms = await Promise.all(
      [1, 2, 3].map(() => enrol.call(phone.confirmPhoneSetup, { body: { challengeId: added.challengeId, code, label: 'M' } })),
    );
    expect(confirms.map((r) => r.status).sort()).toEqual([200, 400, 400]);
    expect(confirms.filter((r) => r.status === 400).map((r) => errorCode(r.body))).toEqual(['code_already_used', 'code_already_used']);
    const phones = ((await enrol.call(securityInfo.getSecurityInfo)).body as SecurityInfo).methods.filter((m) => m.kind === 'phone');
    expect(phones).toHaveLength(1);

    // At sign-in the winner also replaces the session, so a loser may find no session at all; none may succeed.
    const browser = await freshBrowser(t);
    await browser.call(session.signIn, { body: { username: user.username, password: user.password } });
    tick();
    const sent = (await browser.call(phone.sendSignInCode, { body: { methodId: phones[0]!.id, delivery: 'sms' } })).body as CodeChallenge;
    const signInCode = await lastPhoneCode(t, MOBILE.e164);
    const results = await Promise.all(
      [1, 2, 3].map(() => browser.call(phone.verifySignInCode, { body: { challengeId: sent.challengeId, code: signInCode } })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const loser of results.filter((r) => r.status !== 200))
      expect(['code_already_used', 'csrf_failed']).toContain(errorCode(loser.body));
  });

  it('signs in with a code another instance sent, and changes the number', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const enrol = await signIn(t, user);
    const added = (await startMobile(enrol)).body as CodeChallenge;
    await enrol.call(phone.confirmPhoneSetup, {
      body: { challengeId: added.challengeId, code: await lastPhoneCode(t, MOBILE.e164), label: 'M' },
    });
    const phoneId = ((await enrol.call(securityInfo.getSecurityInfo)).body as SecurityInfo).methods.find((m) => m.kind === 'phone')!.id;

    const second = await startSecondInstance(t, kind);
    try {
      const browser = await freshBrowser(t);
      await browser.call(session.signIn, { body: { username: user.username, password: user.password } });
      tick();
      const sent = (await browser.call(phone.sendSignInCode, { body: { methodId: phoneId, delivery: 'sms' } })).body as CodeChallenge;
      const res = await second.app.inject({
        method: 'POST',
        url: '/api/auth/phone/verify',
        headers: { cookie: browser.sessionCookie!, 'x-csrf-token': browser.csrfToken!, 'content-type': 'application/json' },
        payload: { challengeId: sent.challengeId, code: await lastPhoneCode(t, MOBILE.e164) },
        remoteAddress: browser.ip,
      });
      expect(res.statusCode).toBe(200);
      expect(stageOf(res.json())).toBe('signed_in');
    } finally {
      await second.close();
    }

    t.clock.advance(60);
    const change = (await startMobile(enrol, { number: '+48 600 700 800', replaceMethodId: phoneId })).body as CodeChallenge;
    // Until the new number is proved, the old one is still the method's.
    expect(((await enrol.call(securityInfo.getSecurityInfo)).body as SecurityInfo).methods.find((m) => m.id === phoneId)?.detail).toBe(
      '+48 512 345 678',
    );
    const changed = await enrol.call(phone.confirmPhoneSetup, {
      body: { challengeId: change.challengeId, code: await lastPhoneCode(t, '+48600700800'), label: 'M' },
    });
    expect(changed.body).toMatchObject({ method: { id: phoneId, detail: '+48 600 700 800' } });
  });
});

describe.each(testDatabases)('phone codes through an HTTP SMS gateway (%s)', (kind) => {
  let gateway: Server;
  let mode: 'ok' | 'hang' | 'fail' = 'ok';
  const received: Array<{ auth: string | undefined; body: { channel: string; to: string; body: string } }> = [];
  let t: TestApp;

  beforeAll(async () => {
    gateway = createServer((req: IncomingMessage, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        if (mode === 'hang') return;
        received.push({ auth: req.headers.authorization, body: JSON.parse(data) as { channel: string; to: string; body: string } });
        res.statusCode = mode === 'fail' ? 500 : 202;
        res.end();
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/send`;
    t = await startTestApp(kind, { delivery: createHttpDeliveryProvider({ url, token: 'gateway-token', timeoutMs: 300 }) });
  });
  afterAll(async () => {
    await t.close();
    gateway.closeAllConnections();
    await new Promise<void>((resolve) => gateway.close(() => resolve()));
  });

  it('delivers through the gateway, and a failing or silent gateway leaves nothing half-registered', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    mode = 'ok';
    const ok = await startMobile(browser);
    expect(ok.status).toBe(200);
    const sms = received.find((r) => r.body.to === MOBILE.e164)!;
    expect(sms.auth).toBe('Bearer gateway-token');
    expect(sms.body.channel).toBe('sms');
    const code = /\b(\d{6})\b/.exec(sms.body.body)![1]!;

    for (const failure of ['fail', 'hang'] as const) {
      mode = failure;
      t.clock.advance(1);
      const res = await startMobile(browser, { delivery: 'voice' });
      expect(res.status, failure).toBe(502);
      expect(errorCode(res.body)).toBe('delivery_failed');
    }
    const pending = await t.app.ctx.db
      .selectFrom('phone_challenges')
      .select('id')
      .where(
        'user_id',
        '=',
        (await t.app.ctx.db.selectFrom('users').select('id').where('username', '=', user.username).executeTakeFirstOrThrow()).id,
      )
      .where('consumed_at', 'is', null)
      .execute();
    expect(pending).toHaveLength(1);
    expect(((await browser.call(securityInfo.getSecurityInfo)).body as SecurityInfo).methods.map((m) => m.kind)).toEqual(['authenticator']);

    mode = 'ok';
    const done = await browser.call(phone.confirmPhoneSetup, {
      body: { challengeId: (ok.body as CodeChallenge).challengeId, code, label: 'M' },
    });
    expect(done.status).toBe(200);
  });
});

describe.each(testDatabases)('phone changes in the verification log (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  it('logs the number when a phone is deleted', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    const added = (
      await browser.call(phone.startPhoneSetup, { body: { phoneKind: 'mobile', country: 'PL', number: MOBILE.number, delivery: 'sms' } })
    ).body as CodeChallenge;
    await browser.call(phone.confirmPhoneSetup, {
      body: { challengeId: added.challengeId, code: await lastPhoneCode(t, MOBILE.e164), label: 'M' },
    });
    const phoneId = ((await browser.call(securityInfo.getSecurityInfo)).body as SecurityInfo).methods.find((m) => m.kind === 'phone')!.id;
    expect((await browser.call(securityInfo.deleteMethod, { params: { methodId: phoneId } })).status).toBe(200);
    const rows = await t.app.ctx.db
      .selectFrom('verification_log')
      .select(['phone'])
      .where('event', '=', 'security_info.method_deleted')
      .execute();
    expect(rows.map((r) => r.phone)).toEqual([MOBILE.e164]);
  });
});
