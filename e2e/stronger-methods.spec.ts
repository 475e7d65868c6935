import type { Page } from '@playwright/test';
import {
  addVirtualAuthenticator,
  authenticatorCodeStep,
  codeFromOutbox,
  csrfToken,
  expect,
  expectNoA11yViolations,
  passwordStep,
  readOutbox,
  setPolicy,
  signIn,
  signOut,
  test,
  type TestUser,
} from './fixtures/test.ts';

// Runs in the `policy` project (playwright.config.ts): the passkey upgrade and the nudge switch change the organisation policy.

/** Conditional UI would sign the user in with the passkey on the sign-in page by itself; these journeys type the password. */
async function withoutConditionalUi(page: Page): Promise<void> {
  await page.addInitScript(() => {
    Object.defineProperty(PublicKeyCredential, 'isConditionalMediationAvailable', { value: async () => false });
  });
}

async function addPasskey(page: Page): Promise<void> {
  await page.goto('/security-info/add/webauthn');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();
}

/** A user whose only method is a mobile phone: the app they were made with is deleted once the phone is added. */
async function phoneOnlyUser(page: Page, user: TestUser, request: Parameters<typeof codeFromOutbox>[0]): Promise<void> {
  const rest = String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0');
  await signIn(page, user);
  await page.goto('/security-info/add/phone');
  await page.getByLabel('Search countries').fill('Pola');
  await page.getByLabel('Phone number').fill(`512 ${rest}`);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('textbox', { name: 'Code', exact: true }).fill(await codeFromOutbox(request, `+48512${rest}`, 'sms'));
  await expect(page.getByRole('list', { name: 'Sign-in methods' })).toContainText('Mobile phone');
  await page.getByRole('button', { name: 'Delete Authenticator app' }).click();
  await page.getByRole('dialog', { name: 'Delete this method?' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'was deleted' })).toBeVisible();
}

async function endSnooze(page: Page): Promise<void> {
  const res = await page.request.post('/api/dev/stronger-methods-nudge/end-snooze', {
    data: {},
    headers: { 'x-csrf-token': await csrfToken(page) },
  });
  expect(res.status()).toBe(200);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();
}

test('the second step asks for the strongest method first; Security info says so', async ({ page, makeUser }) => {
  test.setTimeout(120_000);
  await withoutConditionalUi(page);
  await addVirtualAuthenticator(page);
  const user = await makeUser({ withAuthenticator: true });
  await signIn(page, user);
  await expect(page.getByText('At sign-in you are asked first for: Authenticator app.')).toBeVisible();
  await addPasskey(page);
  // The app stays the default, but the passkey is stronger.
  await expect(page.getByText('At sign-in you are asked first for: Security key or passkey – Security key.')).toBeVisible();
  await expect(page.getByText('Your organisation asks for the strongest method you have first')).toBeVisible();
  await expectNoA11yViolations(page, 'security info naming the method asked for first');

  await signOut(page);
  await passwordStep(page, user.username, user.password, { start: 'current page' });
  await expect(page.getByRole('button', { name: 'Use my security key or passkey' })).toBeVisible();
  await expectNoA11yViolations(page, 'second step asking for the passkey first');
  await page.getByRole('button', { name: 'Sign in another way' }).click();
  const options = page.getByRole('button', { name: /^Use / });
  // The methods strongest first; a temporary access pass may follow them.
  await expect(options.nth(0)).toHaveText(/Security key/);
  await expect(options.nth(1)).toHaveText(/Authenticator app/);
  await expectNoA11yViolations(page, 'sign in another way, strongest first');
  await options.nth(1).click();
  await authenticatorCodeStep(page, user, { offsetSteps: 1 });
  await expect(page.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();
});

test('a phone-only user is invited to add a stronger method: shown, snoozed, dismissed for good; the admin can turn it off', async ({
  page,
  request,
  browser,
  makeUser,
}) => {
  test.setTimeout(180_000);
  const admin = await makeUser({ withAuthenticator: true, isAdmin: true });
  const user = await makeUser({ withAuthenticator: true });
  await phoneOnlyUser(page, user, request);
  await page.reload();
  const panel = page.getByRole('region', { name: 'Add a stronger way to sign in' });
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('link', { name: 'Add a passkey' })).toHaveAttribute('href', '/security-info/add/webauthn');
  await expect(panel.getByRole('link', { name: 'Add an authenticator app' })).toBeVisible();
  await expectNoA11yViolations(page, 'stronger-methods panel');

  // At 375 px the panel fits: nothing scrolls sideways.
  await page.setViewportSize({ width: 375, height: 812 });
  await expect(panel).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await expectNoA11yViolations(page, 'stronger-methods panel at 375 px');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Not now: gone for 14 days (moved on the server), twice.
  for (let snooze = 1; snooze <= 2; snooze += 1) {
    await panel.getByRole('button', { name: 'Not now' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'We will remind you in 14 days.' })).toBeVisible();
    await expect(panel).toBeHidden();
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();
    await expect(panel).toBeHidden();
    await endSnooze(page);
    await expect(panel).toBeVisible();
  }

  // The third showing is the last one: dismissed for good.
  await expect(panel.getByText('This is the last reminder.')).toBeVisible();
  await expectNoA11yViolations(page, 'the last reminder');
  await panel.getByRole('button', { name: 'Don’t remind me again' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'We will not remind you again.' })).toBeVisible();
  await endSnooze(page);
  await expect(panel).toBeHidden();

  // A new phone-only user, and the administrator turns the invitation off (and on again).
  const other = await makeUser({ withAuthenticator: true });
  await signOut(page);
  await phoneOnlyUser(page, other, request);
  await page.reload();
  await expect(panel).toBeVisible();
  await setPolicy(browser, admin, { strongerMethods: { nudge: false } });
  // Another administrator turns it on again: one sign-in's authenticator code is used once.
  const secondAdmin = await makeUser({ withAuthenticator: true, isAdmin: true });
  try {
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();
    await expect(panel).toBeHidden();
  } finally {
    await setPolicy(browser, secondAdmin, { strongerMethods: { nudge: true } });
  }

  // Turned on again, and in Polish.
  await page.reload();
  await expect(panel).toBeVisible();
  await page.getByLabel('Language').selectOption('pl');
  const polish = page.getByRole('region', { name: 'Dodaj silniejszy sposób logowania' });
  await expect(polish).toBeVisible();
  await expect(polish.getByRole('button', { name: 'Nie teraz' })).toBeVisible();
  await expect(page.getByText('Przy logowaniu najpierw prosimy o:')).toBeVisible();
  await expectNoA11yViolations(page, 'stronger-methods panel in Polish');
});

/**
 * Chromium's getClientCapabilities() does not report `conditionalCreate` for the virtual
 * authenticator, and a conditional create() has no password manager to answer it. The browser is
 * told it has the capability, and a conditional create() is passed to the virtual authenticator
 * as an ordinary one (recording that it was asked for), so the page's own code runs unchanged.
 */
async function stubConditionalCreate(page: Page, reported: boolean): Promise<void> {
  await page.addInitScript((conditionalCreate) => {
    const calls: string[] = JSON.parse(sessionStorage.getItem('createCalls') ?? '[]');
    Object.defineProperty(PublicKeyCredential, 'getClientCapabilities', {
      value: async () => ({ conditionalCreate, conditionalGet: true, passkeyPlatformAuthenticator: true }),
    });
    const create = navigator.credentials.create.bind(navigator.credentials);
    // lib.dom does not declare `mediation` on creation options yet.
    navigator.credentials.create = async (options?: CredentialCreationOptions & { mediation?: string }) => {
      calls.push(options?.mediation ?? 'none');
      sessionStorage.setItem('createCalls', JSON.stringify(calls));
      if (options?.mediation !== 'conditional') return create(options);
      const { mediation: _conditional, ...ordinary } = options;
      return create(ordinary);
    };
  }, reported);
}

const createCalls = (page: Page) => page.evaluate(() => JSON.parse(sessionStorage.getItem('createCalls') ?? '[]') as string[]);

test('passkey upgrade: right after a password sign-in the password manager saves a passkey without a prompt', async ({
  page,
  browser,
  request,
  makeUser,
}) => {
  test.setTimeout(120_000);
  const admin = await makeUser({ withAuthenticator: true, isAdmin: true });
  const secondAdmin = await makeUser({ withAuthenticator: true, isAdmin: true });
  await setPolicy(browser, admin, { strongerMethods: { passkeyUpgrade: true } });
  try {
    await withoutConditionalUi(page);
    const authenticator = await addVirtualAuthenticator(page);
    await stubConditionalCreate(page, true);
    const user = await makeUser({ withAuthenticator: true });
    await signIn(page, user);
    await expect(
      page.getByRole('status').filter({ hasText: 'Your password manager saved a passkey for this account (Passkey).' }),
    ).toBeVisible();
    await expect(page.getByRole('list', { name: 'Sign-in methods' })).toContainText('Passkey');
    expect(await createCalls(page)).toEqual(['conditional']);
    expect(await authenticator.credentials()).toHaveLength(1);
    await expectNoA11yViolations(page, 'security info after the passkey upgrade');
    await expect
      .poll(async () => (await readOutbox(request, { to: `${user.username}@example.test`, channel: 'email' })).length)
      .toBeGreaterThan(0);

    // Signing in again: the passkey is asked for first, and no second upgrade is attempted (the key is excluded).
    await signOut(page);
    await passwordStep(page, user.username, user.password, { start: 'current page' });
    await expect(page.getByRole('button', { name: 'Use my security key or passkey' })).toBeVisible();
  } finally {
    await setPolicy(browser, secondAdmin, { strongerMethods: { passkeyUpgrade: false } });
  }
});

test('passkey upgrade: nothing is attempted where the browser does not report conditionalCreate', async ({ page, browser, makeUser }) => {
  test.setTimeout(120_000);
  const admin = await makeUser({ withAuthenticator: true, isAdmin: true });
  const secondAdmin = await makeUser({ withAuthenticator: true, isAdmin: true });
  await setPolicy(browser, admin, { strongerMethods: { passkeyUpgrade: true } });
  try {
    await withoutConditionalUi(page);
    const authenticator = await addVirtualAuthenticator(page);
    await stubConditionalCreate(page, false);
    const upgradeRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/methods/webauthn/upgrade/')) upgradeRequests.push(r.url());
    });
    const user = await makeUser({ withAuthenticator: true });
    await signIn(page, user);
    await expect(page.getByRole('list', { name: 'Sign-in methods' }).getByRole('listitem')).toHaveCount(1);
    expect(await createCalls(page)).toEqual([]);
    expect(upgradeRequests).toEqual([]);
    expect(await authenticator.credentials()).toHaveLength(0);
  } finally {
    await setPolicy(browser, secondAdmin, { strongerMethods: { passkeyUpgrade: false } });
  }
});

test('the Signal API: accepted passkeys after sign-in, and a deleted passkey is signalled as unknown', async ({ page, makeUser }) => {
  test.setTimeout(120_000);
  await withoutConditionalUi(page);
  const authenticator = await addVirtualAuthenticator(page);
  // Spies: Chromium may or may not have the Signal API; these stand in for it and record every call.
  await page.addInitScript(() => {
    const record = (name: string) => async (options: unknown) => {
      const calls: unknown[] = JSON.parse(sessionStorage.getItem('signals') ?? '[]');
      calls.push({ name, options });
      sessionStorage.setItem('signals', JSON.stringify(calls));
    };
    Object.defineProperty(PublicKeyCredential, 'signalUnknownCredential', { value: record('unknown') });
    Object.defineProperty(PublicKeyCredential, 'signalAllAcceptedCredentials', { value: record('allAccepted') });
  });
  const signals = () =>
    page.evaluate(() => JSON.parse(sessionStorage.getItem('signals') ?? '[]') as Array<{ name: string; options: Record<string, unknown> }>);
  const user = await makeUser({ withAuthenticator: true });
  await signIn(page, user);
  await addPasskey(page);
  const [credential] = await authenticator.credentials();
  const credentialId = credential!.credentialId.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

  await signOut(page);
  await page.evaluate(() => sessionStorage.removeItem('signals'));
  await passwordStep(page, user.username, user.password, { start: 'current page' });
  await page.getByRole('button', { name: 'Use my security key or passkey' }).click();
  await expect(page.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();
  await expect
    .poll(signals)
    .toEqual([
      { name: 'allAccepted', options: { rpId: 'localhost', userId: expect.any(String), allAcceptedCredentialIds: [credentialId] } },
    ]);

  await page.getByRole('button', { name: 'Delete Security key' }).click();
  await page.getByRole('dialog', { name: 'Delete this method?' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'was deleted' })).toBeVisible();
  await expect.poll(async () => (await signals()).at(-1)).toEqual({ name: 'unknown', options: { rpId: 'localhost', credentialId } });
});
