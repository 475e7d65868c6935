// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MethodSummary } from '../../../shared/api/common.ts';
import * as tokenApi from '../../../shared/api/hardware-token.ts';
import type { SecurityInfo } from '../../../shared/api/security-info.ts';
import * as sessionApi from '../../../shared/api/session.ts';
import { call } from '../../api/client.ts';
import { fakeServer } from '../../testing/fake-server.ts';
import { signedInSession } from '../../testing/fixtures.ts';
import { AppProviders } from '../../testing/providers.tsx';
import { initTestI18n, polyfillDialog } from '../../testing/setup.ts';
import { TokenActivation } from './TokenActivation.tsx';

// The real API client, watched: the test asserts what the form sent at each step.
vi.mock('../../api/client.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../api/client.ts')>();
  return { ...actual, call: vi.fn(actual.call) };
});

const method: MethodSummary = {
  id: 'method-7',
  kind: 'hardware_token',
  label: 'Hardware token',
  detail: 'ACME-1',
  createdAt: '2026-01-02T03:04:05.000Z',
  lastUsedAt: null,
  isDefault: false,
  turnedOff: false,
};
const info: SecurityInfo = {
  methods: [],
  defaultMethodId: null,
  defaultDelivery: null,
  askedFirst: null,
  systemPreferred: true,
  canAdd: [],
};

let server: ReturnType<typeof fakeServer>;
beforeAll(async () => {
  polyfillDialog();
  await initTestI18n();
});
beforeEach(() => {
  server = fakeServer();
  server.answer(sessionApi.getSession, () => signedInSession([], new Date(Date.now() + 600_000).toISOString()));
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.mocked(call).mockClear();
});

const sent = () =>
  vi
    .mocked(call)
    .mock.calls.filter(([e]) => e === tokenApi.activateHardwareToken)
    .map(([, input]) => input?.body);

describe('TokenActivation', () => {
  it('sends serial and code; after a refused code it offers two codes in a row, and says when the token was resynchronised', async () => {
    const user = userEvent.setup();
    const onDone = vi.fn();
    render(
      <AppProviders kinds={[]}>
        <TokenActivation info={info} onDone={onDone} onCancel={vi.fn()} />
      </AppProviders>,
    );
    server.refuse(tokenApi.activateHardwareToken, 'invalid_code');
    await user.type(await screen.findByRole('textbox', { name: 'Serial number' }), 'acme-1');
    await user.type(screen.getByRole('textbox', { name: 'Code' }), '123456');
    await user.click(screen.getByRole('button', { name: 'Activate' }));
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(sent()).toEqual([{ serial: 'acme-1', label: 'Hardware token', code: '123456' }]);
    expect(screen.getByText(/enter two codes in a row to resynchronise it/)).toBeTruthy();
    expect(onDone).not.toHaveBeenCalled();

    // Two codes in a row: the second field appears, and both are sent.
    server.answer(tokenApi.activateHardwareToken, () => ({ method, resynchronised: true }));
    await user.click(screen.getByRole('button', { name: 'My token is out of sync' }));
    await user.type(screen.getByRole('textbox', { name: 'Code' }), '111111');
    await user.type(screen.getByRole('textbox', { name: 'Next code' }), '222222');
    await user.click(screen.getByRole('button', { name: 'Activate' }));
    expect((await screen.findByRole('status')).textContent).toContain('resynchronised');
    expect(sent()[1]).toEqual({ serial: 'acme-1', label: 'Hardware token', code: '111111', nextCode: '222222' });
    expect(onDone).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(onDone).toHaveBeenCalledWith(method);
  });

  it('accepts 8-digit codes and goes straight on when no resynchronisation was needed', async () => {
    const user = userEvent.setup();
    const onDone = vi.fn();
    server.answer(tokenApi.activateHardwareToken, () => ({ method, resynchronised: false }));
    render(
      <AppProviders kinds={[]}>
        <TokenActivation info={info} onDone={onDone} onCancel={vi.fn()} />
      </AppProviders>,
    );
    await user.type(await screen.findByRole('textbox', { name: 'Serial number' }), 'ACME-1');
    await user.type(screen.getByRole('textbox', { name: 'Code' }), '1234 5678');
    await user.click(screen.getByRole('button', { name: 'Activate' }));
    await vi.waitFor(() => expect(onDone).toHaveBeenCalledWith(method));
    expect(sent()).toEqual([{ serial: 'ACME-1', label: 'Hardware token', code: '12345678' }]);
  });
});
