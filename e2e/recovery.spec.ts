import type { Page } from '@playwright/test';
import {
  authenticatorCodeStep,
  expect,
  expectNoA11yViolations,
  generateRecoveryCodes,
  passwordStep,
  recoveryCodeStep,
  reportLinkFromOutbox,
  signIn,
  test,
  totpCode,
} from './fixtures/test.ts';

/** Adds an authenticator app from the Security info page, typing the secret by hand, and returns it. */
async function addAuthenticator(page: Page, name: string): Promise<string> {
  await page.getByRole('link', { name: 'Add sign-in method' }).click();
  await page.getByRole('link', { name: /Authenticator app/ }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: "Can't scan the image?" }).click();
  const secret = (await page.getByLabel(/^Secret key:/).innerText()).replace(/\s/g, '');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Name for this app').fill(name);
  await page.getByRole('textbox', { name: 'Code', exact: true }).fill(totpCode(secret));
  await expect(page.getByRole('status').filter({ hasText: `“${name}” was added` })).toBeVisible();
  return secret;
}

test('the lost phone: recovery codes get the user in, the old app goes, a new one comes', async ({ page, makeUser }) => {
  // Three sign-ins, the codes dialog, a wizard, a deletion and five axe checks: about 25 s on a quiet 2-core machine, three times that when shared.
  test.setTimeout(150_000);
  const user = await makeUser({ withAuthenticator: true });
  // The previous 30-second step's code: the server takes each step once per user, and the new app
  // below is set up with the current step's code, which must not already be used.
  await signIn(page, user, { start: '/', offsetSteps: -1 });

  const section = page.getByRole('region', { name: 'Recovery codes' });
  await expect(section.getByText('You have no recovery codes yet.')).toBeVisible();
  await expectNoA11yViolations(page, 'security info with the recovery codes section');
  await page.getByRole('button', { name: 'Generate recovery codes' }).click();
  await expect(page.getByRole('dialog', { name: 'Recovery codes' })).toBeVisible();
  await expectNoA11yViolations(page, 'recovery codes dialog, before generating');
  await page.getByRole('button', { name: 'Cancel' }).click();
  const codes = await generateRecoveryCodes(page, {
    whileShown: async () => {
      await expect(page.getByRole('button', { name: 'Copy codes' })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Download as .txt' })).toBeVisible();
      await expectNoA11yViolations(page, 'recovery codes dialog, codes shown');
    },
  });
  expect(codes).toHaveLength(10);
  for (const code of codes) expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  await expect(section.getByText('You have 10 of 10 codes left.', { exact: false })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();

  // The phone is gone: the password, then "Sign in another way" and a recovery code.
  await passwordStep(page, user.username, user.password, { start: 'current page' });
  await page.getByRole('button', { name: 'Sign in another way' }).click();
  await expect(page.getByRole('button', { name: 'Use a recovery code' })).toBeVisible();
  await expectNoA11yViolations(page, 'sign in another way, with a recovery code');
  await page.getByRole('button', { name: 'Use a recovery code' }).click();
  await expect(page.getByRole('heading', { name: 'Enter a recovery code' })).toBeVisible();
  await expectNoA11yViolations(page, 'recovery code form');
  // A wrong code first: refused, and the user may try again.
  await page.getByLabel('Recovery code', { exact: true }).fill('AAAAA-AAAAA');
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('That recovery code cannot be used');
  // Typed as a person might: lower case, no dash.
  await page.getByLabel('Recovery code', { exact: true }).fill(codes[0]!.replace('-', '').toLowerCase());
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();
  await expect(section.getByText('You have 9 of 10 codes left.', { exact: false })).toBeVisible();

  // A new phone: a new app first (the last usable method cannot go), then the old one goes.
  const newSecret = await addAuthenticator(page, 'New phone');
  const list = page.getByRole('list', { name: 'Sign-in methods' });
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await page.getByRole('button', { name: 'Delete Authenticator app' }).click();
  await page.getByRole('dialog', { name: 'Delete this method?' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'was deleted' })).toBeVisible();
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list).toContainText('New phone');

  // The used code does not work again; the new app does.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await passwordStep(page, user.username, user.password, { start: 'current page' });
  await recoveryCodeStep(page, codes[0]!);
  await expect(page.getByRole('alert')).toContainText('That recovery code cannot be used');
  await page.getByRole('button', { name: 'Sign in another way' }).click();
  await page.getByRole('button', { name: /New phone/ }).click();
  await page.getByRole('textbox', { name: 'Code', exact: true }).fill(totpCode(newSecret, 1));
  await expect(page.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();
});

test('"this wasn\'t me" from the e-mail: signed out everywhere, the administrator sees it and clears it', async ({
  page,
  browser,
  request,
  makeUser,
}) => {
  // Two users, two browsers, the outbox and the admin area, with four axe checks: about 25 s on a quiet machine.
  test.setTimeout(150_000);
  const user = await makeUser({ withAuthenticator: true });
  const admin = await makeUser({ withAuthenticator: true, isAdmin: true });
  await signIn(page, user, { start: '/' });
  await generateRecoveryCodes(page);
  const email = `${user.username}@example.test`;
  // Wait until the notice is in the outbox; the user reads it there, in another browser, signed out.
  await reportLinkFromOutbox(request, email, 'Recovery codes were generated');

  const elsewhere = await browser.newContext();
  const mailPage = await elsewhere.newPage();
  await mailPage.goto('/dev/outbox');
  const message = mailPage.getByRole('listitem').filter({ hasText: email }).filter({ hasText: 'Recovery codes were generated' });
  await message.getByRole('link', { name: /this-wasnt-me/ }).click();
  await expect(mailPage.getByRole('heading', { name: "This wasn't me", level: 1 })).toBeVisible();
  await expect(mailPage.getByText('sign you out on every device', { exact: false })).toBeVisible();
  await expectNoA11yViolations(mailPage, '"this wasn\'t me", before confirming');
  await mailPage.getByRole('button', { name: 'Yes, secure my account' }).click();
  await expect(mailPage.getByRole('heading', { name: 'Your account is secured', level: 1 })).toBeVisible();
  await expect(mailPage.getByRole('heading', { name: 'What to do next' })).toBeVisible();
  await expectNoA11yViolations(mailPage, '"this wasn\'t me", done');

  // The same link again: the neutral answer, nothing more.
  const link = mailPage.url();
  await mailPage.goto('/');
  await mailPage.goto(link);
  await mailPage.getByRole('button', { name: 'Yes, secure my account' }).click();
  await expect(mailPage.getByRole('alert')).toContainText('This link cannot be used.');
  await expectNoA11yViolations(mailPage, '"this wasn\'t me", link used');
  await elsewhere.close();

  // The user's own session ended with the rest.
  await page.goto('/security-info');
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();

  // The administrator sees the mark on the user's page and clears it.
  await signIn(page, admin, { start: 'current page' });
  await page.goto(`/admin/users/${encodeURIComponent(user.username)}`);
  const review = page.getByRole('region', { name: 'Needs review' });
  await expect(review).toContainText('reported a security-info change they did not make');
  await expectNoA11yViolations(page, 'admin user page, needs review');
  await review.getByRole('button', { name: 'Mark as reviewed' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'no longer marked for review' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Needs review' })).toBeHidden();

  // The policy page has the recovery-codes switch (on by default); this test does not change it.
  await page.goto('/admin/policy');
  await expect(page.getByRole('group', { name: 'Recovery codes' }).getByRole('checkbox', { name: 'Allow recovery codes' })).toBeChecked();
});

test('recovery codes in Polish, on a phone-sized screen @phone', async ({ page, makeUser }) => {
  test.setTimeout(120_000);
  const user = await makeUser({ withAuthenticator: true });
  await page.goto('/');
  await page.getByLabel('Language').selectOption('pl');
  await passwordStep(page, user.username, user.password, { start: 'current page', language: 'pl' });
  await authenticatorCodeStep(page, user, { language: 'pl' });
  await expect(page.getByRole('heading', { name: 'Informacje o zabezpieczeniach', level: 1 })).toBeVisible();
  await expect(page.getByText('Nie masz jeszcze kodów odzyskiwania.')).toBeVisible();
  const codes = await generateRecoveryCodes(page, {
    language: 'pl',
    whileShown: async () => {
      const dialog = page.getByRole('dialog', { name: 'Zapisz kody odzyskiwania' });
      await expect(dialog.getByRole('button', { name: 'Pobierz jako .txt' })).toBeVisible();
      // The codes fit the screen: no sideways scrolling.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await expectNoA11yViolations(page, 'kody odzyskiwania');
    },
  });
  await expect(page.getByText('Pozostało Ci 10 z 10 kodów.', { exact: false })).toBeVisible();
  await page.getByRole('button', { name: 'Wyloguj się' }).click();
  await passwordStep(page, user.username, user.password, { start: 'current page', language: 'pl' });
  await recoveryCodeStep(page, codes[1]!, { language: 'pl' });
  await expect(page.getByRole('heading', { name: 'Informacje o zabezpieczeniach', level: 1 })).toBeVisible();
  await expect(page.getByText('Pozostało Ci 9 z 10 kodów.', { exact: false })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await expectNoA11yViolations(page, 'informacje o zabezpieczeniach z kodami odzyskiwania');
});
