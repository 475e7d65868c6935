import type { Page } from '@playwright/test';
import { addVirtualAuthenticator, expect, expectNoA11yViolations, test, totpCode } from './fixtures/test.ts';

async function passwordStep(page: Page, username: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
}

test('register a passkey, use it as the second step and passwordless, then delete it', async ({ page, makeUser }) => {
  const authenticator = await addVirtualAuthenticator(page);
  const user = await makeUser({ withAuthenticator: true });
  await passwordStep(page, user.username, user.password);
  await page.getByRole('textbox', { name: 'Code', exact: true }).fill(totpCode(user.totpSecret!));
  await expect(page.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();

  await page.getByRole('link', { name: 'Add sign-in method' }).click();
  await page.getByRole('link', { name: /Security key or passkey/ }).click();
  await expect(page.getByRole('heading', { name: 'Add a security key or passkey' })).toBeVisible();
  await expectNoA11yViolations(page, 'add a passkey');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Name your key' })).toBeVisible();
  await expect(page.getByLabel('Name')).toHaveValue('Security key');
  await expectNoA11yViolations(page, 'name the passkey');
  await page.getByLabel('Name').fill('Work laptop');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: '“Work laptop” was added' })).toBeVisible();
  const list = page.getByRole('list', { name: 'Sign-in methods' });
  await expect(list).toContainText('Work laptop');
  expect(await authenticator.credentials()).toHaveLength(1);
  expect((await authenticator.credentials())[0]?.isResidentCredential).toBe(true);

  // Conditional UI: on the sign-in page the browser offers the passkey in the
  // user-name field's autofill; Chromium's virtual authenticator (automatic
  // presence) accepts it at once, so the user is signed in without a password.
  const passwordless = page.waitForResponse((r) => r.url().endsWith('/api/auth/passkey/verify') && r.status() === 200);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await passwordless;
  await expect(page.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();
  await expect(page.getByText(`Signed in as ${user.username}`)).toBeVisible();

  // The explicit button, in a browser without conditional UI.
  await page.addInitScript(() => {
    Object.defineProperty(PublicKeyCredential, 'isConditionalMediationAvailable', { value: async () => false });
  });
  await page.reload();
  await signOut(page);
  await expectNoA11yViolations(page, 'sign-in with passkey button');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();

  // Second step: the default is still the app; "sign in another way" offers the key.
  await signOut(page);
  await passwordStep(page, user.username, user.password);
  await page.getByRole('button', { name: 'Sign in another way' }).click();
  await expectNoA11yViolations(page, 'sign in another way');
  await page.getByRole('button', { name: 'Use Work laptop' }).click();
  await page.getByRole('button', { name: 'Use my security key or passkey' }).click();
  await expect(page.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();

  await page.getByRole('button', { name: 'Delete Work laptop' }).click();
  await page.getByRole('dialog', { name: 'Delete this method?' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('status').filter({ hasText: '“Work laptop” was deleted' })).toBeVisible();
  await expect(list).not.toContainText('Work laptop');
});

test('a cancelled prompt says so and saves nothing', async ({ page, makeUser }) => {
  const authenticator = await addVirtualAuthenticator(page);
  const user = await makeUser({ withAuthenticator: true });
  await passwordStep(page, user.username, user.password);
  await page.getByRole('textbox', { name: 'Code', exact: true }).fill(totpCode(user.totpSecret!));
  await page.goto('/security-info/add/webauthn');
  // The person declines to verify: the browser ends the ceremony with NotAllowedError.
  await authenticator.setUserVerified(false);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'The request was cancelled or timed out. Nothing was saved. Try again when you are ready.',
  );
  await expectNoA11yViolations(page, 'cancelled passkey prompt');
  expect(await authenticator.credentials()).toHaveLength(0);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('list', { name: 'Sign-in methods' }).getByRole('listitem')).toHaveCount(1);
});

test('a browser without WebAuthn is told so', async ({ page, makeUser }) => {
  await page.addInitScript(() => {
    // @ts-expect-error -- simulating a browser without the WebAuthn API
    delete window.PublicKeyCredential;
  });
  const user = await makeUser({ withAuthenticator: true });
  await passwordStep(page, user.username, user.password);
  await expect(page.getByRole('button', { name: 'Sign in with a passkey' })).toHaveCount(0);
  await page.getByRole('textbox', { name: 'Code', exact: true }).fill(totpCode(user.totpSecret!));
  await page.goto('/security-info/add/webauthn');
  await expect(page.getByRole('alert')).toContainText('This browser cannot use security keys or passkeys.');
  await expect(page.getByRole('button', { name: 'Continue' })).toBeDisabled();
});
