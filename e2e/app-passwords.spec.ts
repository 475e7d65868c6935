import {
  authenticatorCodeStep,
  expect,
  expectNoA11yViolations,
  passwordStep,
  readOutbox,
  setPolicy,
  signIn,
  test,
} from './fixtures/test.ts';

// The organisation policy is shared by everyone: these tests take turns with it.
test.describe.configure({ mode: 'serial' });

const basic = (username: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
});

test('with app passwords off, the section says the organisation does not allow them', async ({ browser, page, makeUser }) => {
  // Two sign-ins (admin, to set the policy, and user): about 20 s on a quiet 2-core machine, three times that when the machine is shared.
  test.setTimeout(120_000);
  const admin = await makeUser({ withAuthenticator: true, isAdmin: true });
  await setPolicy(browser, admin, { appPasswords: { allowed: false, maxPerUser: 40 } });
  await signIn(page, await makeUser({ withAuthenticator: true }), { start: '/' });
  const section = page.getByRole('region', { name: 'App passwords' });
  await expect(section).toContainText('Your organisation does not allow app passwords.');
  await expect(section.getByRole('button', { name: 'Create app password' })).toHaveCount(0);
  await expectNoA11yViolations(page, 'app passwords not allowed');
});

test('a user creates an app password, an old client signs in with it, and the user deletes them all', async ({
  browser,
  page,
  context,
  request,
  makeUser,
}) => {
  // Two sign-ins (admin and user), a legacy client's round trips and the delete-all: about 17 s on a quiet 2-core machine, three times that when the machine is shared.
  test.setTimeout(120_000);
  const admin = await makeUser({ withAuthenticator: true, isAdmin: true });
  await setPolicy(browser, admin, { appPasswords: { allowed: true, maxPerUser: 40 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const user = await makeUser({ withAuthenticator: true });
  await signIn(page, user, { start: '/' });

  const section = page.getByRole('region', { name: 'App passwords' });
  await expect(section).toContainText('older versions of Outlook');
  await section.getByRole('button', { name: 'Create app password' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create an app password' });
  await dialog.getByLabel('Name').fill('Outlook on my laptop');
  await expectNoA11yViolations(page, 'create app password dialog');
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();

  const shown = page.getByRole('dialog', { name: 'Your new app password' });
  await expect(shown).toContainText('You will not be able to see it again');
  await expect(shown).toContainText('0x800434D4L');
  const servers = shown.getByRole('list', { name: 'Mail servers' });
  await expect(servers).toContainText('Incoming mail (IMAP): mail.example.test, port 993');
  await expect(servers).toContainText('Outgoing mail (SMTP): mail.example.test, port 587');
  // Four steps, the last with the two servers.
  await expect(shown.getByRole('listitem')).toHaveCount(6);
  await shown.getByRole('button', { name: 'Copy the app password' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/^([a-z]{4} ){5}[a-z]{4}$/);
  await expect(shown.getByText(copied)).toBeVisible();
  await expectNoA11yViolations(page, 'app password shown once');
  await shown.getByRole('button', { name: 'Done' }).click();

  // Closed means gone: the value is nowhere on the page any more.
  await expect(page.getByText(copied)).toHaveCount(0);
  const list = section.getByRole('list', { name: 'App passwords' });
  await expect(list).toContainText('Outlook on my laptop');

  // The old mail client signs in with user name and app password.
  const ok = await request.get('/legacy/v1/whoami', { headers: basic(user.username, copied) });
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toMatchObject({ username: user.username });
  // With the account password it gets the explanation the reference product gives.
  const withPassword = await request.get('/legacy/v1/whoami', { headers: basic(user.username, user.password) });
  expect(withPassword.status()).toBe(401);
  expect(await withPassword.json()).toEqual({ error: { code: 'app_password_required', legacyCode: '0x800434D4L' } });

  await page.reload();
  await expect(list).toContainText('from 127.0.0.1');
  await expect((await readOutbox(request, { to: `${user.username}@example.test` }))[0]?.body).toContain('An app password was created');

  await section.getByRole('button', { name: 'Delete all app passwords' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete all app passwords?' });
  await expectNoA11yViolations(page, 'delete all app passwords dialog');
  await confirm.getByRole('button', { name: 'Delete all' }).click();
  await expect(section.getByRole('status')).toHaveText('All your app passwords were deleted.');
  await expect(section.getByText('You have no app passwords.')).toBeVisible();
  expect((await request.get('/legacy/v1/whoami', { headers: basic(user.username, copied) })).status()).toBe(401);
  await expectNoA11yViolations(page, 'app passwords empty');
});

test('app passwords in Polish', async ({ browser, page, makeUser }) => {
  // Two sign-ins, the create dialog and the legacy client in Polish: about 20 s on a quiet 2-core machine, three times that when the machine is shared.
  test.setTimeout(120_000);
  const admin = await makeUser({ withAuthenticator: true, isAdmin: true });
  await setPolicy(browser, admin, { appPasswords: { allowed: true, maxPerUser: 40 } });
  const user = await makeUser({ withAuthenticator: true });
  await page.goto('/');
  await page.getByLabel('Language').selectOption('pl');
  await passwordStep(page, user.username, user.password, { start: 'current page', language: 'pl' });
  await authenticatorCodeStep(page, user, { language: 'pl' });

  const section = page.getByRole('region', { name: 'Hasła aplikacji' });
  await section.getByRole('button', { name: 'Utwórz hasło aplikacji' }).click();
  await page.getByRole('dialog', { name: 'Utwórz hasło aplikacji' }).getByLabel('Nazwa').fill('Outlook 2013');
  await page.getByRole('button', { name: 'Utwórz', exact: true }).click();
  const shown = page.getByRole('dialog', { name: 'Twoje nowe hasło aplikacji' });
  await expect(shown).toContainText('Menedżerze poświadczeń');
  await expectNoA11yViolations(page, 'app password shown once (pl)');
  await shown.getByRole('button', { name: 'Gotowe' }).click();
  await section.getByRole('button', { name: 'Usuń hasło aplikacji Outlook 2013' }).click();
  await page.getByRole('dialog', { name: 'Usunąć to hasło aplikacji?' }).getByRole('button', { name: 'Usuń' }).click();
  await expect(section.getByRole('status')).toHaveText('Usunięto hasło aplikacji „Outlook 2013”.');
});
