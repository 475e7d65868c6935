import type { Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { expect, expectNoA11yViolations, passwordStep, signIn, signOut, test } from './fixtures/test.ts';

// The token's secret as the vendor's CSV gives it (RFC 4226's test seed, base32): the test
// computes the codes the key fob would show.
const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const HEADER = 'upn,serial number,secret key,time interval,manufacturer,model';
const tokenCode = (offsetSteps = 0) =>
  new TOTP({ secret: Secret.fromBase32(SECRET), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: Date.now() + offsetSteps * 30_000,
  });
/** Nothing on the page is wider than the screen (the tables scroll inside their own box). */
async function expectNoOverflow(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}
const csvFile = (rows: string[]) => ({
  name: 'tokens.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from(`\uFEFF${[HEADER, ...rows].join('\r\n')}\r\n`),
});

test('an administrator imports tokens from a CSV file; the user activates theirs and signs in with it @phone', async ({
  browser,
  page,
  makeUser,
}) => {
  // Three sign-ins with Argon2 and seven axe checks: about 25 s on a quiet 2-core machine, three times that on a shared one.
  test.setTimeout(150_000);
  const admin = await makeUser({ withAuthenticator: true, isAdmin: true });
  const user = await makeUser({ withAuthenticator: true });
  const serial = `E2E-${Date.now().toString(36).toUpperCase()}`;

  // The administrator: the token pages are reached from the admin area's start page.
  await signIn(page, admin, { start: '/' });
  await page.getByRole('link', { name: 'Administration' }).click();
  await page.getByRole('link', { name: 'Hardware tokens' }).click();
  await expect(page.getByRole('heading', { name: 'Hardware tokens', level: 1 })).toBeVisible();
  await expectNoA11yViolations(page, 'hardware tokens');
  await page.getByRole('link', { name: 'Import tokens' }).click();
  await expect(page.getByRole('heading', { name: 'Import hardware tokens', level: 1 })).toBeVisible();
  await expectNoA11yViolations(page, 'import tokens');

  // A file with a bad row is checked, and nothing can be imported from it.
  await page
    .getByLabel('Token file')
    .setInputFiles(csvFile([`${user.username},${serial},${SECRET},30,Contoso,Fob`, `,${serial}-B,NOT-BASE32,30,,`]));
  await page.getByRole('button', { name: 'Check file' }).click();
  const problems = page.getByRole('table', { name: 'Problems in the file' });
  await expect(problems.getByRole('row', { name: /Line 3/ })).toContainText('The secret key is not valid base32.');
  await expect(page.getByRole('button', { name: /^Import \d+ token/ })).toHaveCount(0);
  await expectNoA11yViolations(page, 'import check with a problem');
  await expectNoOverflow(page);

  // The corrected file is imported whole.
  await page.getByLabel('Token file').setInputFiles(csvFile([`${user.username},${serial},${SECRET},30,Contoso,"Fob, v2"`]));
  await page.getByRole('button', { name: 'Check file' }).click();
  await expect(page.getByText('1 token can be imported (TOTP: 1, HOTP: 0).')).toBeVisible();
  await expectNoA11yViolations(page, 'import check');
  await page.getByRole('button', { name: 'Import 1 token' }).click();
  await expect(page.getByRole('status').filter({ hasText: '1 token was imported.' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the hardware tokens' }).click();
  await page.getByLabel('Serial number starts with').fill(serial);
  await page.getByRole('button', { name: 'Search' }).click();
  const row = page.getByRole('table', { name: 'Imported hardware tokens' }).getByRole('row', { name: new RegExp(serial) });
  await expect(row).toContainText(user.username);
  await expect(row).toContainText('Fob, v2');
  await expectNoA11yViolations(page, 'hardware tokens with one token');
  await expectNoOverflow(page);

  // The user, in a browser of their own: "Add sign-in method" → Hardware token.
  // The same screen size as the administrator's page (a phone in the phone project).
  const userContext = await browser.newContext({ viewport: page.viewportSize() });
  const userPage = await userContext.newPage();
  await signIn(userPage, user, { start: '/' });
  await userPage.getByRole('link', { name: 'Add sign-in method' }).click();
  await userPage.getByRole('link', { name: /Hardware token/ }).click();
  await expect(userPage.getByRole('heading', { name: 'Add a hardware token' }).first()).toBeVisible();
  await expectNoA11yViolations(userPage, 'activate a hardware token');
  await expectNoOverflow(userPage);
  await userPage.getByRole('textbox', { name: 'Serial number' }).fill(serial.toLowerCase());
  await userPage.getByRole('textbox', { name: 'Name for this token' }).fill('Key fob');
  await userPage.getByRole('textbox', { name: 'Code', exact: true }).fill(tokenCode());
  await userPage.getByRole('button', { name: 'Activate' }).click();
  await expect(userPage.getByRole('status').filter({ hasText: 'Hardware token “Key fob” was added.' })).toBeVisible();
  await expect(userPage.getByRole('list', { name: 'Sign-in methods' })).toContainText(serial);
  await expectNoA11yViolations(userPage, 'security info with a hardware token');

  // Signing in again: the second step with the token's next code.
  await signOut(userPage);
  await passwordStep(userPage, user.username, user.password, { start: 'current page' });
  await userPage.getByRole('button', { name: 'Sign in another way' }).click();
  await userPage.getByRole('button', { name: new RegExp(`Use a code from Key fob \\(${serial}\\)`) }).click();
  await expectNoA11yViolations(userPage, 'second step with a hardware token');
  await userPage.getByRole('textbox', { name: 'Code', exact: true }).fill(tokenCode(1));
  await userPage.getByRole('button', { name: 'Verify' }).click();
  await expect(userPage.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();
  await userContext.close();

  // The administrator sees it activated.
  await page.reload();
  await expect(row).toContainText('Yes');
});
