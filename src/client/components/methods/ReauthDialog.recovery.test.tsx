// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as recoveryApi from '../../../shared/api/recovery-codes.ts';
import * as sessionApi from '../../../shared/api/session.ts';
import { authenticator } from '../../methods/authenticator/index.ts';
import { fakeServer } from '../../testing/fake-server.ts';
import { authenticatorOption, signedInSession } from '../../testing/fixtures.ts';
import { AppProviders } from '../../testing/providers.tsx';
import { initTestI18n, polyfillDialog } from '../../testing/setup.ts';
import { ReauthDialog } from './ReauthDialog.tsx';

beforeAll(async () => {
  polyfillDialog();
  await initTestI18n();
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function withRecoveryCodes(recoveryCode: boolean) {
  const session = signedInSession([authenticatorOption]);
  if (session.state.stage === 'signed_in') session.state.recoveryCode = recoveryCode;
  return session;
}

describe('re-verification with a recovery code', () => {
  it('offers a recovery code beside the methods when the user has one, and verifies with it', async () => {
    const server = fakeServer();
    const sent: unknown[] = [];
    server.answer(sessionApi.getSession, () => withRecoveryCodes(true));
    server.answer(recoveryApi.verifyRecoveryCode, (body) => {
      sent.push(body);
      return signedInSession([authenticatorOption], '2026-01-02T03:14:05.000Z');
    });
    const onClose = vi.fn();
    render(
      <AppProviders kinds={[authenticator]}>
        <ReauthDialog open onClose={onClose} />
      </AppProviders>,
    );
    const dialog = await screen.findByRole('dialog', { name: 'Verify your identity' }, { timeout: 5000 });
    await userEvent.click(await within(dialog).findByRole('button', { name: 'Use a recovery code' }));
    await userEvent.type(within(dialog).getByLabelText('Recovery code'), 'abcde-fghjk');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Verify' }));
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
    expect(sent).toEqual([{ code: 'abcde-fghjk' }]);
    expect(onClose.mock.calls[0]![0]).toMatchObject({ state: { stage: 'signed_in', reauthValidUntil: '2026-01-02T03:14:05.000Z' } });
  });

  it('does not offer one when the user has none left', async () => {
    const server = fakeServer();
    server.answer(sessionApi.getSession, () => withRecoveryCodes(false));
    render(
      <AppProviders kinds={[authenticator]}>
        <ReauthDialog open onClose={() => {}} />
      </AppProviders>,
    );
    const dialog = await screen.findByRole('dialog', { name: 'Verify your identity' }, { timeout: 5000 });
    expect(await within(dialog).findByText('Use a code from Work phone')).toBeTruthy();
    expect(within(dialog).queryByRole('button', { name: 'Use a recovery code' })).toBeNull();
  });
});
