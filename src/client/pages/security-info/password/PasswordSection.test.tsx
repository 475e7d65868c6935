// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as changeApi from '../../../../shared/api/password-change.ts';
import * as api from '../../../../shared/api/security-info.ts';
import * as sessionApi from '../../../../shared/api/session.ts';
import { fakeServer } from '../../../testing/fake-server.ts';
import { signedInSession } from '../../../testing/fixtures.ts';
import { AppProviders } from '../../../testing/providers.tsx';
import { initTestI18n, polyfillDialog } from '../../../testing/setup.ts';
import { PasswordSection } from './PasswordSection.tsx';

const NEW_PASSWORD = 'Mountain-Pencil-Lake-72';
const status = (changedAt: string): api.PasswordStatus => ({ changedAt, changeRequired: false, minLength: 12, personalWords: ['ada'] });

beforeAll(async () => {
  await initTestI18n();
  polyfillDialog();
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the password on Security info', () => {
  it('shows when it last changed; Change asks for the current password and a new one twice, and says what went wrong', async () => {
    const fake = fakeServer();
    const sent: unknown[] = [];
    fake.answer(sessionApi.getSession, () => signedInSession(undefined, new Date(Date.now() + 5 * 60_000).toISOString()));
    fake.answer(api.getPassword, () => status('2026-01-15T10:00:00.000Z'));
    fake.refuse(changeApi.changePassword, 'current_password_incorrect');
    render(
      <AppProviders kinds={[]}>
        <PasswordSection />
      </AppProviders>,
    );
    const section = await screen.findByRole('region', { name: 'Password' });
    expect(await within(section).findByText(/Last changed/)).toBeDefined();
    const user = userEvent.setup();
    await user.click(within(section).getByRole('button', { name: 'Change password' }));
    const dialog = await screen.findByRole('dialog', { name: 'Change your password' });

    // Two different new passwords: nothing is sent.
    await user.type(within(dialog).getByLabelText('Current password'), 'Old-password-1');
    await user.type(within(dialog).getByLabelText('New password'), NEW_PASSWORD);
    await user.type(within(dialog).getByLabelText('Confirm the new password'), `${NEW_PASSWORD}!`);
    await user.click(within(dialog).getByRole('button', { name: 'Change password' }));
    expect(within(dialog).getByRole('alert').textContent).toBe('The two passwords are not the same.');

    // A wrong current password: the server's refusal, in words.
    await user.clear(within(dialog).getByLabelText('Confirm the new password'));
    await user.type(within(dialog).getByLabelText('Confirm the new password'), NEW_PASSWORD);
    await user.click(within(dialog).getByRole('button', { name: 'Change password' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('The current password is not right.');

    // Then the right one: the dialog closes, the page says so and shows the new date.
    fake.answer(changeApi.changePassword, (body) => {
      sent.push(body);
      return { session: signedInSession(), password: status('2026-12-05T10:00:00.000Z') };
    });
    await user.click(within(dialog).getByRole('button', { name: 'Change password' }));
    expect((await within(section).findByRole('status')).textContent).toContain('Your password was changed.');
    expect(sent).toEqual([{ currentPassword: 'Old-password-1', newPassword: NEW_PASSWORD }]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
