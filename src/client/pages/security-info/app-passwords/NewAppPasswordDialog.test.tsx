// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as appPasswordsApi from '../../../../shared/api/app-passwords.ts';
import type { MailServer } from '../../../../shared/api/app-passwords.ts';
import * as sessionApi from '../../../../shared/api/session.ts';
import { fakeServer } from '../../../testing/fake-server.ts';
import { signedInSession } from '../../../testing/fixtures.ts';
import { AppProviders } from '../../../testing/providers.tsx';
import { initTestI18n, polyfillDialog } from '../../../testing/setup.ts';
import { NewAppPasswordDialog } from './NewAppPasswordDialog.tsx';

const item = { id: 'ap-1', name: 'Outlook', createdAt: '2026-11-25T10:00:00.000Z', lastUsedAt: null, lastUsedIp: null };

function serverCreating(mailServers: MailServer[]) {
  const server = fakeServer();
  // Verified a moment ago: no re-verification step.
  server.answer(sessionApi.getSession, () => signedInSession(undefined, new Date(Date.now() + 5 * 60_000).toISOString()));
  server.answer(appPasswordsApi.createAppPassword, () => ({ item, password: 'abcd efgh ijkl mnop qrst uvwx', mailServers }));
}

async function createOne() {
  render(
    <AppProviders kinds={[]}>
      <NewAppPasswordDialog open onClose={() => {}} />
    </AppProviders>,
  );
  await userEvent.type(await screen.findByLabelText('Name'), 'Outlook');
  await userEvent.click(screen.getByRole('button', { name: 'Create' }));
  return screen.findByText('abcd efgh ijkl mnop qrst uvwx');
}

beforeAll(async () => {
  await initTestI18n();
  polyfillDialog();
});
beforeEach(() => {
  vi.unstubAllGlobals();
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('a new app password', () => {
  it('comes with the Outlook steps and the mail servers to type in, from the configuration', async () => {
    serverCreating([
      { protocol: 'imap', host: 'mail.example.org', port: 993 },
      { protocol: 'smtp', host: 'mail.example.org', port: 587 },
    ]);
    await createOne();
    const servers = within(screen.getByRole('list', { name: 'Mail servers' }));
    expect(servers.getByText('Incoming mail (IMAP): mail.example.org, port 993')).toBeTruthy();
    expect(servers.getByText('Outgoing mail (SMTP): mail.example.org, port 587')).toBeTruthy();
    expect(screen.getByText(/0x800434D4L/)).toBeTruthy();
  });

  it('leaves the servers out when none are configured', async () => {
    serverCreating([]);
    await createOne();
    expect(screen.queryByRole('list', { name: 'Mail servers' })).toBeNull();
    expect(screen.getByText(/remove the password it has stored/)).toBeTruthy();
  });
});
