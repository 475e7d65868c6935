import { authenticatorCodeStep, expect, expectNoA11yViolations, passwordStep, signIn, signOut, test } from './fixtures/test.ts';

const NEW_PASSWORD = 'Mountain-Pencil-Lake-72';

test('a user changes the password: the new one signs in elsewhere, this session stays and an older one ends', async ({
  page,
  browser,
  makeUser,
}) => {
  // Four sign-ins with Argon2 and three axe checks: minutes when the machine is shared.
  test.setTimeout(180_000);
  const user = await makeUser({ withAuthenticator: true });
  // Each sign-in takes a later 30-second step of the app than the one before, so no code is spent twice.
  const olderContext = await browser.newContext();
  const older = await olderContext.newPage();
  await signIn(older, user, { offsetSteps: -1 });
  await signIn(page, user);

  const section = page.getByRole('region', { name: 'Password', exact: true });
  await expect(section).toContainText('Last changed');
  await section.getByRole('button', { name: 'Change password' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change your password' });
  await dialog.getByLabel('Current password').fill(user.password);
  const field = dialog.getByLabel('New password', { exact: true });
  await field.fill('Barbara12345');
  await expect(dialog.getByText('Common names and surnames are easy to guess.')).toBeVisible();
  await expectNoA11yViolations(page, 'change password dialog');
  await field.fill(NEW_PASSWORD);
  await expect(dialog.getByText('Very strong')).toBeVisible();
  await dialog.getByLabel('Confirm the new password').fill(NEW_PASSWORD);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog).toBeHidden();
  await expect(section.getByRole('status')).toContainText('Your password was changed.');

  // The new password signs in, in a second browser context.
  const secondContext = await browser.newContext();
  const second = await secondContext.newPage();
  await passwordStep(second, user.username, NEW_PASSWORD);
  await authenticatorCodeStep(second, user, { offsetSteps: 1 });
  await expect(second.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();

  // The session that changed it stays signed in; the older one has ended.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();
  await older.reload();
  await expect(older.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  // The old password no longer works.
  await passwordStep(older, user.username, user.password, { start: 'current page' });
  await expect(older.getByRole('alert')).toContainText('Your user name or password is incorrect.');

  // The user was told, and Recent activity shows the change.
  await page.getByRole('link', { name: 'Recent activity' }).click();
  await expect(page.getByText('Password changed').first()).toBeVisible();
  await olderContext.close();
  await secondContext.close();
});

test('an administrator requires a new password: the user is interrupted after the second step until it is changed', async ({
  page,
  makeUser,
}) => {
  test.setTimeout(180_000);
  const admin = await makeUser({ withAuthenticator: true, isAdmin: true });
  const user = await makeUser({ withAuthenticator: true, firstName: 'Irena', lastName: 'Change-test' });
  await signIn(page, admin);
  await page.goto(`/admin/users/${user.username}`);
  await expect(page.getByRole('heading', { name: 'Irena Change-test', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Require a password change' }).click();
  const confirm = page.getByRole('dialog', { name: 'Require Irena Change-test to change their password?' });
  await expectNoA11yViolations(page, 'require a password change dialog');
  await confirm.getByRole('button', { name: 'Require a password change' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Irena Change-test must change their password at the next sign-in.' }),
  ).toBeVisible();
  await expect(page.getByText('Must change their password at the next sign-in.', { exact: true })).toBeVisible();
  await signOut(page);

  await passwordStep(page, user.username, user.password, { start: 'current page' });
  await authenticatorCodeStep(page, user);
  await expect(page.getByRole('heading', { name: 'Change your password', level: 1 })).toBeVisible();
  await expect(page.getByText('Your administrator requires you to choose a new password before you go on.')).toBeVisible();
  await expectNoA11yViolations(page, 'password change interruption');
  // Nothing else is reachable until it is changed.
  await page.goto('/security-info');
  await expect(page.getByRole('heading', { name: 'Change your password', level: 1 })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);

  await page.getByLabel('Current password').fill(user.password);
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Confirm the new password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password was changed.');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
});

test('changing the password in Polish, on a 375 px wide phone @phone', async ({ page, makeUser }) => {
  test.setTimeout(120_000);
  const user = await makeUser({ withAuthenticator: true });
  await page.setViewportSize({ width: 375, height: 812 });
  await signIn(page, user);
  await page.getByLabel('Language').selectOption('pl');
  await expect(page.getByRole('heading', { name: 'Informacje o zabezpieczeniach', level: 1 })).toBeVisible();
  const section = page.getByRole('region', { name: 'Hasło', exact: true });
  await expect(section).toContainText('Ostatnia zmiana');
  await section.getByRole('button', { name: 'Zmień hasło' }).click();
  const dialog = page.getByRole('dialog', { name: 'Zmień hasło' });
  const field = dialog.getByLabel('Nowe hasło', { exact: true });
  await field.fill('krótkie');
  await expect(dialog.getByText('Za krótkie: co najmniej 12 znaków.')).toBeVisible();
  await field.fill('Barbara12345');
  await expect(dialog.getByText('Popularne imiona i nazwiska są łatwe do odgadnięcia.')).toBeVisible();
  await expectNoA11yViolations(page, 'change password in Polish');
  // Nothing is wider than the phone's screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // A wrong current password is refused in Polish.
  await dialog.getByLabel('Obecne hasło').fill('to-nie-jest-hasło');
  await field.fill(NEW_PASSWORD);
  await expect(dialog.getByText('Bardzo silne')).toBeVisible();
  await dialog.getByLabel('Potwierdź nowe hasło').fill(NEW_PASSWORD);
  await dialog.getByRole('button', { name: 'Zmień hasło' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Obecne hasło jest nieprawidłowe.');
  await dialog.getByLabel('Obecne hasło').fill(user.password);
  await dialog.getByRole('button', { name: 'Zmień hasło' }).click();
  await expect(dialog).toBeHidden();
  await expect(section.getByRole('status')).toContainText('Hasło zostało zmienione.');
});
