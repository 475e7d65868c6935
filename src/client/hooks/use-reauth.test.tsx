// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as sessionApi from '../../shared/api/session.ts';
import { ApiError, call } from '../api/client.ts';
import { Button } from '../components/Button.tsx';
import { authenticator } from '../methods/authenticator/index.ts';
import { authenticatorOption, signedInSession } from '../testing/fixtures.ts';
import { fakeServer } from '../testing/fake-server.ts';
import { AppProviders } from '../testing/providers.tsx';
import { initTestI18n, polyfillDialog } from '../testing/setup.ts';
import { useReauth } from './use-reauth.tsx';

vi.mock('../api/client.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api/client.ts')>();
  return { ...actual, call: vi.fn(actual.call) };
});

type Ending = { ok: string } | { error: unknown };

/** A page's change: runs `action` through the re-verification and reports how it ended. */
function Change({ action, onEnd }: { action(): Promise<string>; onEnd(result: Ending): void }) {
  const withReauth = useReauth();
  return (
    <Button
      onClick={() =>
        void withReauth(action).then(
          (ok) => onEnd({ ok }),
          (error: unknown) => onEnd({ error }),
        )
      }
    >
      Change
    </Button>
  );
}

const reauthRequired = () => new ApiError(403, { code: 'reauth_required' });

beforeAll(async () => {
  polyfillDialog();
  await initTestI18n();
});

beforeEach(() => {
  const server = fakeServer();
  server.answer(sessionApi.getSession, () => signedInSession());
  server.answer(sessionApi.verifyTotp, () => signedInSession([authenticatorOption], '2026-01-02T03:14:05.000Z'));
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.mocked(call).mockClear();
});

async function startChange(action: () => Promise<string>) {
  const onEnd = vi.fn<(result: Ending) => void>();
  render(
    <AppProviders kinds={[authenticator]}>
      <Change action={action} onEnd={onEnd} />
    </AppProviders>,
  );
  await userEvent.click(await screen.findByRole('button', { name: 'Change' }));
  const dialog = await screen.findByRole('dialog', { name: 'Verify your identity' });
  await waitFor(() => expect(dialog.hasAttribute('open')).toBe(true));
  return { dialog, onEnd };
}

describe('re-verification before a change', () => {
  it('asks for a code when the server wants a fresh verification, then retries the change once', async () => {
    const action = vi.fn<() => Promise<string>>().mockRejectedValueOnce(reauthRequired()).mockResolvedValueOnce('changed');
    const { dialog, onEnd } = await startChange(action);

    // The default method is offered, with its own form (loaded lazily with its kind).
    expect(within(dialog).getByText('Use a code from Work phone')).toBeTruthy();
    expect(action).toHaveBeenCalledTimes(1);
    await userEvent.type(await within(dialog).findByLabelText('Code'), '123456');

    await waitFor(() => expect(onEnd).toHaveBeenCalledWith({ ok: 'changed' }));
    expect(
      vi
        .mocked(call)
        .mock.calls.filter(([e]) => e === sessionApi.verifyTotp)
        .map(([, input]) => input),
    ).toEqual([{ body: { code: '123456', methodId: authenticatorOption.methodId } }]);
    expect(action).toHaveBeenCalledTimes(2);
    expect(dialog.hasAttribute('open')).toBe(false);
  });

  it('fails the change with the original error when the user cancels', async () => {
    const original = reauthRequired();
    const action = vi.fn<() => Promise<string>>().mockRejectedValue(original);
    const { dialog, onEnd } = await startChange(action);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));

    await waitFor(() => expect(onEnd).toHaveBeenCalledWith({ error: original }));
    const ending = onEnd.mock.calls[0]?.[0];
    expect(ending && 'error' in ending ? ending.error : null).toBe(original);
    expect(action).toHaveBeenCalledTimes(1);
    expect(vi.mocked(call).mock.calls.some(([e]) => e === sessionApi.verifyTotp)).toBe(false);
    expect(dialog.hasAttribute('open')).toBe(false);
  });

  it('asks once when several requests are refused together (a page’s loads), then repeats each', async () => {
    const first = vi.fn<() => Promise<string>>().mockRejectedValueOnce(reauthRequired()).mockResolvedValueOnce('policy');
    const second = vi.fn<() => Promise<string>>().mockRejectedValueOnce(reauthRequired()).mockResolvedValueOnce('users');
    const endings: Ending[] = [];
    function Loads() {
      const withReauth = useReauth();
      const load = (action: () => Promise<string>) =>
        void withReauth(action).then(
          (ok) => endings.push({ ok }),
          (error: unknown) => endings.push({ error }),
        );
      return (
        <Button
          onClick={() => {
            load(first);
            load(second);
          }}
        >
          Load
        </Button>
      );
    }
    render(
      <AppProviders kinds={[authenticator]}>
        <Loads />
      </AppProviders>,
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Load' }));
    const dialog = await screen.findByRole('dialog', { name: 'Verify your identity' });
    // Six digits send the code by themselves.
    await userEvent.type(await within(dialog).findByLabelText('Code'), '123456');

    await waitFor(() => expect(endings).toHaveLength(2));
    expect(endings).toEqual(expect.arrayContaining([{ ok: 'policy' }, { ok: 'users' }]));
    expect(vi.mocked(call).mock.calls.filter(([e]) => e === sessionApi.verifyTotp)).toHaveLength(1);
  });
});
