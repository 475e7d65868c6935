import { readFile } from 'node:fs/promises';
import { expect, expectNoA11yViolations, passwordStep, signIn, test } from './fixtures/test.ts';

test('an administrator finds a failed sign-in in the log and downloads it as CSV', async ({ browser, page, makeUser }) => {
  // Two sign-ins (one failing), a filtered log, a download and an axe check: about 15 s on a quiet 2-core machine, three times that when the machine is shared.
  test.setTimeout(120_000);
  const user = await makeUser({ firstName: 'Zoë', lastName: 'Łukasiewicz' });
  const admin = await makeUser({ withAuthenticator: true, isAdmin: true });

  // The user mistypes their password, in a browser of their own.
  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  await passwordStep(userPage, user.username, 'not-my-password');
  await expect(userPage.getByRole('alert')).toBeVisible();
  await userContext.close();

  await signIn(page, admin, { start: '/' });
  await page.goto('/admin/log');
  await expect(page.getByRole('heading', { name: 'Verification log', level: 1 })).toBeVisible();
  const filters = page.getByRole('search', { name: 'Filter the log' });
  await filters.getByLabel('User name', { exact: true }).fill(user.username.toUpperCase());
  await filters.getByLabel('Result', { exact: true }).selectOption({ label: 'Denied' });
  await filters.getByRole('button', { name: 'Apply filters' }).click();

  // The filtered view lives in the address, so it can be linked.
  await expect(page).toHaveURL(new RegExp(`user=${user.username.toUpperCase()}.*result=denied`));
  const table = page.getByRole('table', { name: 'Verification log records, newest first' });
  const row = table.getByRole('row').filter({ hasText: user.username });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Denied');
  await expect(row).toContainText('wrong user name or password');
  await expect(row).toContainText('Password');
  await expectNoA11yViolations(page, 'the filtered verification log');

  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^verification-log-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile((await download.path())!, 'utf8');
  const [header, ...records] = csv
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
  expect(header).toBe(
    'id,time_utc,user_name,first_name,last_name,email,phone_number,device_token,authentication_mode,event,result,denial_reason,server_name,server_ip,client_ip',
  );
  expect(records).toHaveLength(1);
  // Non-ASCII names arrive intact.
  expect(records[0]).toContain(`,${user.username},Zoë,Łukasiewicz,`);
  expect(records[0]).toContain(',password,sign_in.password,denied,invalid_credentials,');

  // On a phone the table scrolls inside its own box; the page itself does not scroll sideways.
  await page.setViewportSize({ width: 375, height: 812 });
  await expect(table).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('a user who is not an administrator is told the log is not for them', async ({ page, makeUser }) => {
  await signIn(page, await makeUser({ withAuthenticator: true }), { start: '/' });
  await page.goto('/admin/log');
  await expect(page.getByRole('heading', { name: 'Administration', level: 1 })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveText('Only administrators can open this page.');
  await expect(page.getByRole('table')).toHaveCount(0);
});
