// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as resetApi from '../../../shared/api/password-reset.ts';
import type { PasswordResetState } from '../../../shared/api/password-reset.ts';
import * as sessionApi from '../../../shared/api/session.ts';
import type { SessionInfo } from '../../../shared/api/session.ts';
import { call } from '../../api/client.ts';
import { authenticator } from '../../methods/authenticator/index.ts';
import { fakeServer } from '../../testing/fake-server.ts';
import { authenticatorOption } from '../../testing/fixtures.ts';
import { AppProviders } from '../../testing/providers.tsx';
import { initTestI18n } from '../../testing/setup.ts';
import { PasswordResetPage } from './PasswordResetPage.tsx';

// The real API client, watched: the test asserts what each step asked the server for.
vi.mock('../../api/client.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../api/client.ts')>();
  return { ...actual, call: vi.fn(actual.call) };
});

const anonymous: SessionInfo = { csrfToken: 'csrf', devTools: false, state: { stage: 'anonymous' } };

const sentTo = (endpoint: object) =>
  vi
    .mocked(call)
    .mock.calls.filter(([e]) => e === endpoint)
    .map(([, input]) => (input as { body?: unknown } | undefined)?.body);

beforeAll(async () => {
  await initTestI18n();
});

let server: ReturnType<typeof fakeServer>;
let resetState: PasswordResetState;
beforeEach(() => {
  server = fakeServer();
  server.answer(sessionApi.getSession, () => anonymous);
  server.answer(resetApi.startPasswordReset, () => ({
    step: 'prove' as const,
    methodsRequired: 1 as const,
    options: [authenticatorOption],
    provedMethodIds: [],
    recoveryCode: false,
  }));
  server.answer(sessionApi.verifyTotp, () => {
    resetState = { step: 'choose_password', minLength: 12, personalWords: ['ada', 'lovelace'] };
    return anonymous;
  });
  server.answer(resetApi.getPasswordReset, () => resetState);
  server.answer(resetApi.setNewPassword, () => ({ ok: true as const }));
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.mocked(call).mockClear();
});

function renderPage() {
  render(
    <AppProviders kinds={[authenticator]}>
      <PasswordResetPage />
    </AppProviders>,
  );
}

describe('PasswordResetPage', () => {
  it('walks from the user name through a method to a new password, one request per step', async () => {
    const user = userEvent.setup();
    renderPage();
    await user.type(await screen.findByLabelText('User name'), 'ada');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(sentTo(resetApi.startPasswordReset)).toEqual([{ username: 'ada' }]);

    expect(await screen.findByRole('heading', { name: 'Prove who you are with one of your sign-in methods.' })).toBeDefined();
    // Nothing beyond the proof was asked for yet: the password step is not skipped.
    expect(sentTo(resetApi.setNewPassword)).toEqual([]);
    // Six digits send the code at once, as at sign-in.
    await user.type(await screen.findByLabelText('Code'), '123456');
    const field = await screen.findByLabelText('New password');
    expect(sentTo(sessionApi.verifyTotp)).toEqual([{ code: '123456', methodId: 'method-1' }]);
    await user.type(field, 'short');
    expect(await screen.findByText('Too short: at least 12 characters.')).toBeDefined();
    await user.clear(field);
    await user.type(field, 'Barbara12345');
    expect(await screen.findByText('Common names and surnames are easy to guess.', {}, { timeout: 5000 })).toBeDefined();
    await user.clear(field);
    await user.type(field, 'Mountain-Pencil-Lake-72');
    expect(await screen.findByText('Very strong')).toBeDefined();
    await user.type(screen.getByLabelText('Confirm the new password'), 'Mountain-Pencil-Lake-7');
    await user.click(screen.getByRole('button', { name: 'Reset password' }));
    expect(await screen.findByText('The two passwords are not the same.')).toBeDefined();
    expect(sentTo(resetApi.setNewPassword)).toEqual([]);
    await user.type(screen.getByLabelText('Confirm the new password'), '2');
    await user.click(screen.getByRole('button', { name: 'Reset password' }));
    expect(sentTo(resetApi.setNewPassword)).toEqual([{ password: 'Mountain-Pencil-Lake-72' }]);
    expect(await screen.findByRole('heading', { name: 'Your password was reset' })).toBeDefined();
    expect(screen.getByRole('status').textContent).toContain('Your app passwords still work.');
  }, 20_000);

  it('tells a user name that cannot reset to contact the administrator', async () => {
    server.answer(resetApi.startPasswordReset, () => ({ step: 'contact_admin' as const }));
    const user = userEvent.setup();
    renderPage();
    await user.type(await screen.findByLabelText('User name'), 'nobody');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('heading', { name: 'Contact your administrator' })).toBeDefined();
    await user.click(screen.getByRole('button', { name: 'Start again' }));
    expect(await screen.findByLabelText('User name')).toBeDefined();
  });
});
