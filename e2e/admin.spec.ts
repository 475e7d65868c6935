import type { Page } from '@playwright/test';
import { authenticatorCodeStep, expect, expectNoA11yViolations, passwordStep, signIn, signOut, test } from './fixtures/test.ts';

/** Nothing on the page is wider than the screen. */
async function expectNoOverflow(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test('an administrator finds a user and makes them register again', async ({ page, makeUser }) => {
  // Two sign-ins with Argon2, four admin pages with axe checks: about 20 s on a quiet 2-core machine, three times that on a shared one.
  test.setTimeout(120_000);
  const admin = await makeUser({ withAuthenticator: true, isAdmin: true });
  const user = await makeUser({ withAuthenticator: true, firstName: 'Zofia', lastName: 'Admin-test' });
  await signIn(page, admin, { start: '/' });

  await page.getByRole('link', { name: 'Administration' }).click();
  await expect(page.getByRole('heading', { name: 'Administration', level: 1 })).toBeVisible();
  await expectNoA11yViolations(page, 'admin overview');
  await page.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();

  await page.getByLabel('Search by name, user name or e-mail').fill(user.username.toUpperCase());
  await page.getByRole('button', { name: 'Search' }).click();
  const results = page.getByRole('list', { name: 'Users found' });
  await expect(results.getByRole('listitem')).toHaveCount(1);
  await expectNoA11yViolations(page, 'admin users');
  await results.getByRole('link', { name: 'Zofia Admin-test' }).click();

  await expect(page.getByRole('heading', { name: 'Zofia Admin-test', level: 1 })).toBeVisible();
  const methods = page.getByRole('region', { name: 'Methods' });
  await expect(methods).toContainText('Authenticator app');
  await expect(methods).toContainText('Default');
  await expectNoA11yViolations(page, 'admin user page');

  await page.getByRole('button', { name: 'Require re-registration' }).click();
  const dialog = page.getByRole('dialog', { name: 'Require re-registration?' });
  await dialog.getByLabel('Now: the next sign-in goes straight to registration').check();
  await expectNoA11yViolations(page, 'require re-registration dialog');
  await dialog.getByRole('button', { name: 'Require re-registration' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Zofia Admin-test must register again at their next sign-in.' })).toBeVisible();
  await expect(methods).toContainText('No methods registered.');
  await expect(page.getByText('Must register security info again at the next sign-in.')).toBeVisible();
  await signOut(page);

  // The user's next sign-in goes straight to registration, with nothing of the old methods left.
  await passwordStep(page, user.username, user.password, { start: 'current page' });
  await expect(page.getByRole('heading', { name: 'More information required', level: 1 })).toBeVisible();
  await expect(page.getByText('Your administrator asked you to register your security info again.')).toBeVisible();
});

test('the Policy page shows whom turning a kind off affects, and saves nothing when cancelled', async ({ page, makeUser }) => {
  const admin = await makeUser({ withAuthenticator: true, isAdmin: true });
  await signIn(page, admin, { start: '/' });
  await page.goto('/admin/policy');
  await expect(page.getByRole('heading', { name: 'Policy', level: 1 })).toBeVisible();
  await expectNoA11yViolations(page, 'admin policy');

  // A value out of range is named next to its field and nothing is sent.
  const lifetime = page.getByLabel('Code lifetime (seconds)');
  await lifetime.fill('5');
  await page.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByText('Enter a whole number from 60 to 600.')).toBeVisible();
  await expectNoA11yViolations(page, 'admin policy with an invalid value');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Policy', level: 1 })).toBeVisible();

  // Hardware tokens, which no other journey changes: the organisation's policy is shared by every test.
  await page.getByRole('checkbox', { name: 'Hardware tokens' }).uncheck();
  await page.getByRole('button', { name: 'Save policy' }).click();
  const preview = page.getByRole('dialog', { name: 'Turn these off?' });
  await expect(preview).toContainText('Hardware tokens');
  await expect(preview).toContainText('have it as their default method.');
  await expect(preview).toContainText('would be left with no usable method.');
  await expectNoA11yViolations(page, 'policy preview');
  await preview.getByRole('button', { name: 'Cancel' }).click();
  await expect(preview).toBeHidden();
  const policy = await (await page.request.get('/api/admin/policy')).json();
  expect(policy).toMatchObject({ enabledMethods: { hardware_token: true }, codeLifetimeSeconds: 180 });
});

test('the admin area in Polish', async ({ page, makeUser }) => {
  const admin = await makeUser({ withAuthenticator: true, isAdmin: true });
  await page.goto('/');
  await page.getByLabel('Language').selectOption('pl');
  await passwordStep(page, admin.username, admin.password, { start: 'current page', language: 'pl' });
  await authenticatorCodeStep(page, admin, { language: 'pl' });
  await page.getByRole('link', { name: 'Administracja' }).click();
  await expect(page.getByRole('heading', { name: 'Administracja', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Zasady' }).click();
  await expect(page.getByRole('heading', { name: 'Zasady', level: 1 })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Tymczasowe kody dostępu' })).toBeVisible();
  await expectNoA11yViolations(page, 'zasady');
  await page.goto('/admin/users');
  await page.getByLabel('Szukaj po imieniu, nazwisku, nazwie użytkownika lub e-mailu').fill(admin.username);
  await page.getByRole('button', { name: 'Szukaj', exact: true }).click();
  const results = page.getByRole('list', { name: 'Znalezieni użytkownicy' });
  await expect(results.getByRole('listitem')).toHaveCount(1);
  await results.getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'Metody' })).toBeVisible();
  await expectNoA11yViolations(page, 'użytkownik');
});

test('the admin pages fit a 375 px wide phone @phone', async ({ page, makeUser }) => {
  const admin = await makeUser({ withAuthenticator: true, isAdmin: true, firstName: 'Narrow', lastName: 'Screen' });
  await signIn(page, admin, { start: '/' });
  for (const [path, heading] of [
    ['/admin', 'Administration'],
    ['/admin/policy', 'Policy'],
    ['/admin/users', 'Users'],
    [`/admin/users/${admin.username}`, 'Narrow Screen'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
    await expect(page.getByText('Loading…')).toHaveCount(0);
    await expectNoOverflow(page);
    await expectNoA11yViolations(page, `${path} on a phone`);
  }
});
