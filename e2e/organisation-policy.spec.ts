import type { APIRequestContext, Browser, Page } from '@playwright/test';
import {
  authenticatorCodeStep,
  codeFromOutbox,
  csrfToken,
  expect,
  expectNoA11yViolations,
  passwordStep,
  setPolicy,
  signIn,
  signOut,
  test,
  totpCode,
  type TestUser,
} from './fixtures/test.ts';

// These tests change the organisation policy, which every test on the shared server reads:
// they run one after the other, change only the phone options and put them back.
test.describe.configure({ mode: 'serial' });

/** Text messages off: a mobile phone can still be called, but a default that texts it is turned off. */
const smsOff = { phoneOptions: { sms: false } } as const;
/**
 * Phones turned off by their deliveries: with neither texts nor calls a mobile phone has no way
 * left to receive a code. The administrators here sign in with an authenticator app, which stays on.
 */
const phonesOff = { phoneOptions: { sms: false, voice: false } } as const;
/** Only the section these tests change is put back, so a parallel spec's own section is left alone. */
const phonesOn = { phoneOptions: {} } as const;

/** An administrator of its own for each policy change, so no two sign-ins spend the same authenticator code. */
async function makeAdmin(browser: Browser): Promise<TestUser> {
  const context = await browser.newContext();
  const res = await context.request.post('/api/dev/users', { data: { withAuthenticator: true, isAdmin: true } });
  expect(res.status()).toBe(200);
  const admin = (await res.json()) as TestUser;
  await context.close();
  return admin;
}

// Also when a test failed half-way.
test.afterAll(async ({ browser }) => {
  await setPolicy(browser, await makeAdmin(browser), phonesOn);
});

/** A Polish mobile number of its own for each test, so parallel tests never read each other's codes. */
function polishMobile(): { typed: string; e164: string } {
  const rest = String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0');
  return { typed: `512 ${rest.slice(0, 3)} ${rest.slice(3)}`, e164: `+48512${rest}` };
}

/** Registers a mobile phone by SMS beside the page, through the API the page uses; returns its method id and number. */
async function addMobileByApi(page: Page, request: APIRequestContext): Promise<{ id: string; e164: string; typed: string }> {
  const phone = polishMobile();
  const headers = { 'x-csrf-token': await csrfToken(page) };
  const started = await page.request.post('/api/methods/phone/setup', {
    data: { phoneKind: 'mobile', country: 'PL', number: phone.typed, delivery: 'sms' },
    headers,
  });
  expect(started.status(), await started.text()).toBe(200);
  const { challengeId } = (await started.json()) as { challengeId: string };
  const code = await codeFromOutbox(request, phone.e164, 'sms');
  const confirmed = await page.request.post('/api/methods/phone/confirm', { data: { challengeId, code, label: 'Mobile phone' }, headers });
  expect(confirmed.status(), await confirmed.text()).toBe(200);
  return { id: ((await confirmed.json()) as { method: { id: string } }).method.id, ...phone };
}

/**
 * A user with an authenticator app and a mobile phone, the phone their default (texted, when
 * `delivery` says so), signed out again: what the administrator's change then meets.
 */
async function userWithPhoneDefault(
  page: Page,
  request: APIRequestContext,
  makeUser: (options: { withAuthenticator: boolean }) => Promise<TestUser>,
  delivery?: 'sms',
) {
  const user = await makeUser({ withAuthenticator: true });
  await signIn(page, user);
  const phone = await addMobileByApi(page, request);
  const madeDefault = await page.request.put('/api/security-info/default', {
    data: { methodId: phone.id, ...(delivery ? { delivery } : {}) },
    headers: { 'x-csrf-token': await csrfToken(page) },
  });
  expect(madeDefault.status()).toBe(200);
  await signOut(page);
  return { user, phone };
}

test('SMS turned off under a texted phone default: sign in by a call, choose the call as the new default, reach Security info', async ({
  page,
  request,
  browser,
  makeUser,
}) => {
  // Three sign-ins (the user twice, the administrator once), two phone round trips and four axe checks: a long journey on a shared machine.
  test.setTimeout(120_000);
  const admin = await makeAdmin(browser);
  const { user, phone } = await userWithPhoneDefault(page, request, makeUser, 'sms');
  const last3 = phone.e164.slice(-3);

  await setPolicy(browser, admin, smsOff);

  // The default (texting the phone) is turned off: the app is offered first; the phone can still be called.
  await passwordStep(page, user.username, user.password, { start: 'current page' });
  await expect(page.getByRole('heading', { name: 'Use a code from Authenticator app' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign in another way' }).click();
  await expectNoA11yViolations(page, 'sign in another way, texts turned off');
  await page.getByRole('button', { name: `Use Mobile phone (+48 ••• ••• ${last3})` }).click();
  await expect(page.getByRole('button', { name: 'Text me a code' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Call me' }).click();
  await page.getByRole('textbox', { name: 'Code', exact: true }).fill(await codeFromOutbox(request, phone.e164, 'voice'));

  await expect(page.getByRole('heading', { name: 'More information required' })).toBeVisible();
  await expect(page.getByText('Your administrator disabled the verification method you chose as default.')).toBeVisible();
  const registered = page.getByRole('list', { name: 'Sign-in methods' });
  await expect(registered.getByText('Default', { exact: true })).toHaveCount(0);
  await expect(registered.getByText('Turned off by your organisation')).toHaveCount(0);
  const picker = page.getByLabel('Which method do you want to use to sign in?');
  // Texting the phone is no longer offered; calling it is.
  await expect(picker.getByRole('option')).toHaveText(['Authenticator app', /^Phone – Mobile phone \(\+48 512 .*\) – call$/]);
  await expectNoA11yViolations(page, 'registration: choose a new default');
  await picker.selectOption({ label: (await picker.getByRole('option').nth(1).textContent())! });
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(registered.getByRole('listitem').filter({ hasText: 'Mobile phone' }).getByText('Default', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Done' }).click();

  await expect(page.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();
  const defaultSection = page.getByRole('region', { name: 'Default sign-in method' });
  await expect(defaultSection).toContainText(/Mobile phone .* – call/);
  await expectNoA11yViolations(page, 'security info, the phone called by default');
  await setPolicy(browser, await makeAdmin(browser), phonesOn);
});

test('phones turned off: the app becomes the new default, the phone is shown turned off everywhere', async ({
  page,
  request,
  browser,
  makeUser,
}) => {
  // Three sign-ins (the user twice, the administrator once), a phone round trip and four axe checks: a long journey on a shared machine.
  test.setTimeout(120_000);
  const admin = await makeAdmin(browser);
  const { user } = await userWithPhoneDefault(page, request, makeUser);

  await setPolicy(browser, admin, phonesOff);

  // The default (the phone) is turned off: the app is offered first, and the phone is shown as turned off.
  await passwordStep(page, user.username, user.password, { start: 'current page' });
  await expect(page.getByRole('heading', { name: 'Use a code from Authenticator app' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign in another way' }).click();
  await expect(page.getByText('turned off by your organisation')).toBeVisible();
  await expect(page.getByRole('button', { name: /Mobile phone/ })).toHaveCount(0);
  await expectNoA11yViolations(page, 'sign in another way, with a method turned off');
  await page.getByRole('button', { name: 'Use a code from Authenticator app' }).click();
  // The code of this step was spent on the first sign-in; the app's next one is accepted too.
  await authenticatorCodeStep(page, user, { offsetSteps: 1 });

  await expect(page.getByRole('heading', { name: 'More information required' })).toBeVisible();
  await expect(page.getByText('Your administrator disabled the verification method you chose as default.')).toBeVisible();
  const registered = page.getByRole('list', { name: 'Sign-in methods' });
  await expect(registered.getByText('Turned off by your organisation')).toBeVisible();
  await expect(registered.getByText('Default', { exact: true })).toHaveCount(0);
  const picker = page.getByLabel('Which method do you want to use to sign in?');
  await expect(picker.getByRole('option')).toHaveText(['Authenticator app']);
  await expectNoA11yViolations(page, 'registration: choose a new default');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('heading', { name: 'Default method' })).toBeVisible();
  await expect(registered.getByText('Default', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Done' }).click();

  await expect(page.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();
  const list = page.getByRole('list', { name: 'Sign-in methods' });
  const phoneCard = list.getByRole('listitem').filter({ hasText: 'Mobile phone' });
  await expect(phoneCard.getByText('Turned off by your organisation')).toBeVisible();
  await expect(list.getByRole('listitem').filter({ hasText: 'Authenticator app' }).getByText('Default', { exact: true })).toBeVisible();
  await expectNoA11yViolations(page, 'security info with a method turned off');
  await page.getByRole('link', { name: 'Add sign-in method' }).click();
  await expect(page.getByText('Turned off by your organisation.')).toBeVisible();
  await expectNoA11yViolations(page, 'add a method, one kind turned off');
  // Phones on again for the next test, which registers one before turning them off.
  await setPolicy(browser, await makeAdmin(browser), phonesOn);
});

test('a user whose only method is turned off gets in with a temporary access pass and registers a new method', async ({
  page,
  request,
  browser,
  makeUser,
}) => {
  // Two administrator sign-ins, the user's registration, the pass and the authenticator wizard: a long journey on a shared machine.
  test.setTimeout(120_000);
  const user = await makeUser();
  // First sign-in: the user registers a mobile phone as their only method.
  await passwordStep(page, user.username, user.password);
  await expect(page.getByRole('heading', { name: 'More information required' })).toBeVisible();
  await addMobileByApi(page, request);
  const done = await page.request.post('/api/auth/registration/complete', { headers: { 'x-csrf-token': await csrfToken(page) } });
  expect(done.status()).toBe(200);
  await page.goto('/security-info');
  await signOut(page);

  await setPolicy(browser, await makeAdmin(browser), phonesOff);

  // After the password, the page says a pass from an administrator is the way in.
  await passwordStep(page, user.username, user.password, { start: 'current page' });
  await expect(page.getByRole('heading', { name: 'You need a temporary access pass' })).toBeVisible();
  await expect(page.getByText('turned off by your organisation')).toBeVisible();
  const passField = page.getByRole('textbox', { name: 'Temporary access pass' });
  await expect(passField).toHaveAttribute('autocomplete', 'off');
  await expectNoA11yViolations(page, 'temporary access pass required');

  // The administrator issues one through the admin API.
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signIn(adminPage, await makeAdmin(browser), { start: '/' });
  const issued = await adminPage.request.post(`/api/admin/users/${user.username}/temporary-access-pass`, {
    data: {},
    headers: { 'x-csrf-token': await csrfToken(adminPage) },
  });
  expect(issued.status(), await issued.text()).toBe(200);
  const { pass } = (await issued.json()) as { pass: string };
  await adminContext.close();

  await passField.fill('WRONG-PASS');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('That temporary access pass cannot be used.');
  await passField.fill(pass);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByRole('heading', { name: 'More information required' })).toBeVisible();
  await expect(page.getByText('Your organisation turned off every verification method you had registered.')).toBeVisible();
  await expect(page.getByText('Turned off by your organisation').first()).toBeVisible();
  await expectNoA11yViolations(page, 'registration after a temporary access pass');
  await page.getByRole('button', { name: /Authenticator app/ }).click();
  await expect(page.getByRole('heading', { name: 'Get the app' })).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: "Can't scan the image?" }).click();
  const secret = (await page.getByLabel(/^Secret key:/).innerText()).replace(/\s/g, '');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Name for this app').fill('New phone');
  await page.getByRole('textbox', { name: 'Code', exact: true }).fill(totpCode(secret));
  await expect(page.getByRole('status').filter({ hasText: 'Authenticator app “New phone” was added.' })).toBeVisible();
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();
  await expectNoA11yViolations(page, 'security info after the pass');
});
