import {
  addMobilePhone,
  authenticatorCodeStep,
  codeFromOutbox,
  expect,
  expectNoA11yViolations,
  passwordStep,
  policyEditor,
  polishMobile,
  signIn,
  startPasswordReset,
  test,
  totpCode,
} from './fixtures/test.ts';

const NEW_PASSWORD = 'Mountain-Pencil-Lake-72';

// The policy is one row every test shares: each test turns reset on, and off again however it ends.
let editor: Awaited<ReturnType<typeof policyEditor>> | undefined;
test.afterEach(async () => {
  await editor?.set({ passwordReset: { enabled: false, methodsRequired: 1 } });
  await editor?.close();
  editor = undefined;
});

test('a user who forgot the password resets it with SMS and the authenticator app; an older session is signed out', async ({
  page,
  browser,
  request,
  makeUser,
}) => {
  // Two sign-ins, a phone set-up, a reset with two proofs and five axe checks: minutes when the machine is shared.
  test.setTimeout(240_000);
  const user = await makeUser({ withAuthenticator: true });
  const phone = polishMobile();
  // The older session, in this browser context.
  await signIn(page, user);
  await addMobilePhone(page, request, phone);
  editor = await policyEditor(browser, await makeUser({ withAuthenticator: true, isAdmin: true }));
  await editor.set({ passwordReset: { enabled: true, methodsRequired: 2 } });

  const context = await browser.newContext();
  const forgot = await context.newPage();
  await forgot.goto('/sign-in');
  await startPasswordReset(forgot, user.username);
  await expect(forgot.getByRole('heading', { name: 'Prove who you are with 2 different sign-in methods.' })).toBeVisible();
  await expect(forgot.getByText('Method 1 of 2')).toBeVisible();
  await expectNoA11yViolations(forgot, 'reset: first method');
  // The sign-in above spent the current code: the app's next one.
  await forgot.getByRole('textbox', { name: 'Code', exact: true }).fill(totpCode(user.totpSecret!, 1));
  await expect(forgot.getByText('Method 2 of 2')).toBeVisible();
  await expectNoA11yViolations(forgot, 'reset: choose the second method');
  await forgot.getByRole('button', { name: `Use Mobile phone (+48 ••• ••• ${phone.last3})` }).click();
  await forgot.getByRole('button', { name: 'Text me a code' }).click();
  await forgot.getByRole('textbox', { name: 'Code', exact: true }).fill(await codeFromOutbox(request, phone.e164, 'sms'));

  await expect(forgot.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  const field = forgot.getByLabel('New password', { exact: true });
  await field.fill('Barbara12345');
  await expect(forgot.getByText('Common names and surnames are easy to guess.')).toBeVisible();
  await expectNoA11yViolations(forgot, 'reset: new password');
  await field.fill(NEW_PASSWORD);
  await expect(forgot.getByText('Very strong')).toBeVisible();
  await forgot.getByLabel('Confirm the new password').fill(NEW_PASSWORD);
  await forgot.getByRole('button', { name: 'Reset password' }).click();
  await expect(forgot.getByRole('heading', { name: 'Your password was reset' })).toBeVisible();
  await expect(forgot.getByRole('status')).toContainText('Your app passwords still work.');
  await expectNoA11yViolations(forgot, 'reset: done');

  // The older session has ended.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  // The old password no longer works; the new one does.
  await passwordStep(page, user.username, user.password, { start: 'current page' });
  await expect(page.getByRole('alert')).toContainText('Your user name or password is incorrect.');
  await forgot.getByRole('link', { name: 'Sign in' }).click();
  await passwordStep(forgot, user.username, NEW_PASSWORD, { start: 'current page' });
  // The app's codes of the last minutes are spent; the phone proves the second step.
  await forgot.getByRole('button', { name: 'Sign in another way' }).click();
  await forgot.getByRole('button', { name: `Use Mobile phone (+48 ••• ••• ${phone.last3})` }).click();
  await forgot.getByRole('button', { name: 'Text me a code' }).click();
  await forgot.getByRole('textbox', { name: 'Code', exact: true }).fill(await codeFromOutbox(request, phone.e164, 'sms'));
  await expect(forgot.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();
  await context.close();
});

test('the strength meter explains itself in Polish, on a 375 px wide phone', async ({ page, browser, makeUser }) => {
  test.setTimeout(180_000);
  editor = await policyEditor(browser, await makeUser({ withAuthenticator: true, isAdmin: true }));
  await editor.set({ passwordReset: { enabled: true, methodsRequired: 1 } });
  const user = await makeUser({ withAuthenticator: true });
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto('/sign-in');
  await page.getByLabel('Language').selectOption('pl');
  await expect(page.getByRole('heading', { name: 'Zaloguj się', level: 1 })).toBeVisible();
  await startPasswordReset(page, user.username, 'pl');
  await expect(page.getByRole('heading', { name: 'Potwierdź swoją tożsamość jedną z metod logowania.' })).toBeVisible();
  await expectNoA11yViolations(page, 'reset in Polish: prove');
  await authenticatorCodeStep(page, user, { language: 'pl' });
  await expect(page.getByRole('heading', { name: 'Wybierz nowe hasło' })).toBeVisible();
  const field = page.getByLabel('Nowe hasło', { exact: true });
  await field.fill('krótkie');
  await expect(page.getByText('Za krótkie: co najmniej 12 znaków.')).toBeVisible();
  await field.fill('Barbara12345');
  await expect(page.getByText('Popularne imiona i nazwiska są łatwe do odgadnięcia.')).toBeVisible();
  await expect(page.getByText('Dodaj więcej słów, które są mniej popularne.')).toBeVisible();
  await expectNoA11yViolations(page, 'reset in Polish: meter');
  // Nothing is wider than the phone's screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await field.fill(NEW_PASSWORD);
  await expect(page.getByText('Bardzo silne')).toBeVisible();
});
