// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as authenticatorApi from '../../../shared/api/authenticator.ts';
import type { MethodSummary } from '../../../shared/api/common.ts';
import * as sessionApi from '../../../shared/api/session.ts';
import { call } from '../../api/client.ts';
import { signedInSession } from '../../testing/fixtures.ts';
import { fakeServer } from '../../testing/fake-server.ts';
import { AppProviders } from '../../testing/providers.tsx';
import { initTestI18n, polyfillDialog } from '../../testing/setup.ts';
import { AuthenticatorSetup } from './AuthenticatorSetup.tsx';

// The real API client, watched: the test asserts what the wizard asked the server for, and when.
vi.mock('../../api/client.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../api/client.ts')>();
  return { ...actual, call: vi.fn(actual.call) };
});

const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const method: MethodSummary = {
  id: 'method-9',
  kind: 'authenticator',
  label: 'Work phone',
  detail: null,
  createdAt: '2026-01-02T03:04:05.000Z',
  lastUsedAt: null,
  isDefault: false,
  turnedOff: false,
};

beforeAll(async () => {
  polyfillDialog();
  await initTestI18n();
});

beforeEach(() => {
  const server = fakeServer();
  server.answer(sessionApi.getSession, () => signedInSession());
  server.answer(authenticatorApi.startAuthenticatorSetup, () => ({
    setupId: 'setup-1',
    secret,
    otpauthUri: `otpauth://totp/Security%20Info:ada?secret=${secret}&issuer=Security%20Info`,
    issuer: 'Security Info',
    accountName: 'ada',
    expiresAt: '2026-01-02T03:14:05.000Z',
  }));
  server.answer(authenticatorApi.confirmAuthenticatorSetup, () => ({ method }));
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.mocked(call).mockClear();
});

const requested = (endpoint: object) =>
  vi
    .mocked(call)
    .mock.calls.filter(([e]) => e === endpoint)
    .map(([, input]) => input);

describe('AuthenticatorSetup', () => {
  it('walks from getting the app, through the QR code or the typed key, to a verified and named app', async () => {
    const user = userEvent.setup();
    const onDone = vi.fn();
    const onCancel = vi.fn();
    render(
      <AppProviders kinds={[]}>
        <AuthenticatorSetup onDone={onDone} onCancel={onCancel} />
      </AppProviders>,
    );

    // Step 1: get the app. Nothing is asked of the server yet.
    expect(await screen.findByRole('heading', { name: 'Get the app' })).toBeTruthy();
    expect(screen.getByText('Step 1 of 3')).toBeTruthy();
    expect(requested(authenticatorApi.startAuthenticatorSetup)).toEqual([]);

    // Step 2: a secret is issued and shown as a QR code.
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('heading', { name: 'Set up your account' })).toBeTruthy();
    expect(screen.getByText('Step 2 of 3')).toBeTruthy();
    expect(requested(authenticatorApi.startAuthenticatorSetup)).toEqual([{ body: {} }]);
    expect(await screen.findByRole('img', { name: 'QR code to add this account to your authenticator app' })).toBeTruthy();

    // "Can't scan the image?": the account and the key, grouped by four for typing.
    await user.click(screen.getByRole('button', { name: "Can't scan the image?" }));
    expect(screen.getByRole('heading', { name: 'Enter the details by hand' })).toBeTruthy();
    expect(screen.getByText('ada')).toBeTruthy();
    expect(screen.getByText('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy the secret key' })).toBeTruthy();

    // Step 3: a name and the code; the sixth digit submits.
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('heading', { name: 'Enter the code' })).toBeTruthy();
    expect(screen.getByText('Step 3 of 3')).toBeTruthy();
    const name = screen.getByLabelText('Name for this app');
    expect(name).toHaveProperty('value', 'Authenticator app');
    await user.clear(name);
    await user.type(name, 'Work phone');
    expect(requested(authenticatorApi.confirmAuthenticatorSetup)).toEqual([]);
    await user.type(screen.getByLabelText('Code'), '123456');

    await waitFor(() => expect(onDone).toHaveBeenCalledWith(method));
    expect(requested(authenticatorApi.confirmAuthenticatorSetup)).toEqual([
      { body: { setupId: 'setup-1', code: '123456', label: 'Work phone' } },
    ]);
    expect(requested(authenticatorApi.startAuthenticatorSetup)).toHaveLength(1);
    expect(onCancel).not.toHaveBeenCalled();
  });
});
