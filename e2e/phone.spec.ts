import {
  authenticatorCodeStep,
  codeFromOutbox,
  expect,
  expectNoA11yViolations,
  passwordStep,
  readOutbox,
  signIn,
  test,
} from './fixtures/test.ts';

/** A Polish mobile number of its own for each test, so parallel tests never read each other's codes. */
function polishMobile(): { typed: string; e164: string; last3: string } {
  const rest = String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0');
  return { typed: `512 ${rest.slice(0, 3)} ${rest.slice(3)}`, e164: `+48512${rest}`, last3: rest.slice(3) };
}

test('register a mobile phone by SMS, sign in with it another way, and change the number', async ({ page, request, makeUser }) => {
  // Three phone round trips through the outbox and two sign-ins: about 14 s on a quiet 2-core machine, three times that when the machine is shared.
  test.setTimeout(120_000);
  const user = await makeUser({ withAuthenticator: true });
  const phone = polishMobile();
  await signIn(page, user);
  await page.getByRole('link', { name: 'Add sign-in method' }).click();
  await page.getByRole('link', { name: /^Phone/ }).click();
  await expect(page.getByRole('heading', { name: 'Add a phone' })).toBeVisible();
  await expect(page.getByText('Text messages and calls are weaker')).toBeVisible();
  await expectNoA11yViolations(page, 'add a phone');
  await page.getByLabel('Search countries').fill('Pola');
  await expect(page.getByLabel('Country or region', { exact: true })).toHaveValue('PL');
  await page.getByLabel('Phone number').fill(phone.typed);
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(page.getByText(`We sent a text message with a code to +48 ••• ••• ${phone.last3}.`)).toBeVisible();
  await expect(page.getByText('In your country the message has no fixed sender.')).toBeVisible();
  await expect(page.getByText(/The code expires in [23]:\d\d\./)).toBeVisible();
  await expect(page.getByText('You can ask for 4 more codes in the next few minutes.')).toBeVisible();
  await expectNoA11yViolations(page, 'enter the SMS code');
  await page.getByRole('textbox', { name: 'Code', exact: true }).fill(await codeFromOutbox(request, phone.e164, 'sms'));
  await expect(page.getByRole('status').filter({ hasText: `Mobile phone +48 512 ${phone.typed.slice(4)} was added.` })).toBeVisible();
  const list = page.getByRole('list', { name: 'Sign-in methods' });
  await expect(list).toContainText(`+48 512 ${phone.typed.slice(4)}`);

  // Sign in another way: with the phone instead of the default app.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await passwordStep(page, user.username, user.password, { start: 'current page' });
  await page.getByRole('button', { name: 'Sign in another way' }).click();
  await page.getByRole('button', { name: `Use Mobile phone (+48 ••• ••• ${phone.last3})` }).click();
  await expectNoA11yViolations(page, 'sign in with a phone');
  await page.getByRole('button', { name: 'Text me a code' }).click();
  await expect(page.getByText(`We sent a text message with a code to +48 ••• ••• ${phone.last3}.`)).toBeVisible();
  await page.getByRole('textbox', { name: 'Code', exact: true }).fill(await codeFromOutbox(request, phone.e164, 'sms'));
  await expect(page.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();

  // Change the number: the new one is proved first.
  const next = polishMobile();
  await page.getByRole('link', { name: 'Change number of Mobile phone' }).click();
  await expect(page.getByRole('heading', { name: 'Change phone number' })).toBeVisible();
  await expectNoA11yViolations(page, 'change number');
  await page.getByLabel('Search countries').fill('Pol');
  await page.getByLabel('Phone number').fill(next.typed);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('textbox', { name: 'Code', exact: true }).fill(await codeFromOutbox(request, next.e164, 'sms'));
  await expect(page.getByRole('status').filter({ hasText: `Your number is now +48 512 ${next.typed.slice(4)}.` })).toBeVisible();
  await expect(list).not.toContainText(phone.typed.slice(4));
});

test('register an alternate phone by a voice call, and refuse an invalid number with its reason', async ({ page, request, makeUser }) => {
  const user = await makeUser({ withAuthenticator: true });
  await signIn(page, user);
  await page.goto('/security-info/add/phone');
  await page.getByLabel('Alternate phone').check();
  await expect(page.getByLabel('Call me')).toBeChecked();
  await expect(page.getByLabel('Text me a code')).toHaveCount(0);
  await page.getByLabel('Search countries').fill('Poland');
  await page.getByLabel('Phone number').fill('512 34');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('alert')).toHaveText('That number is too short for the chosen country.');
  await expectNoA11yViolations(page, 'invalid phone number');

  const phone = polishMobile();
  await page.getByLabel('Phone number').fill(phone.typed);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText(`We are calling +48 ••• ••• ${phone.last3}.`)).toBeVisible();
  await page.getByRole('textbox', { name: 'Code', exact: true }).fill(await codeFromOutbox(request, phone.e164, 'voice'));
  await expect(page.getByRole('status').filter({ hasText: 'Alternate phone' })).toBeVisible();
});

test('a phone in Polish @phone', async ({ page, request, makeUser }) => {
  const user = await makeUser({ withAuthenticator: true });
  const phone = polishMobile();
  await page.goto('/');
  await page.getByLabel('Language').selectOption('pl');
  await passwordStep(page, user.username, user.password, { start: 'current page', language: 'pl' });
  await authenticatorCodeStep(page, user, { language: 'pl' });
  await page.goto('/security-info/add/phone');
  await expect(page.getByRole('heading', { name: 'Dodaj telefon' })).toBeVisible();
  await page.getByLabel('Szukaj kraju').fill('Pols');
  await page.getByLabel('Numer telefonu').fill(phone.typed);
  await page.getByRole('button', { name: 'Dalej' }).click();
  await expect(page.getByText(`Wysłaliśmy wiadomość SMS z kodem na numer +48 ••• ••• ${phone.last3}.`)).toBeVisible();
  await expect(page.getByText('W ciągu najbliższych minut możesz poprosić jeszcze o 4 kody.')).toBeVisible();
  await expectNoA11yViolations(page, 'kod SMS');
  const sms = (await readOutbox(request, { to: phone.e164, channel: 'sms' }))[0]!;
  expect(sms.body).toMatch(/^\d{6} to Twój kod weryfikacyjny/);
  await page.getByRole('textbox', { name: 'Kod', exact: true }).fill(await codeFromOutbox(request, phone.e164, 'sms'));
  await expect(page.getByRole('status').filter({ hasText: 'Dodano: Telefon komórkowy' })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
