// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionInfo } from '../../../shared/api/session.ts';
import * as sessionApi from '../../../shared/api/session.ts';
import { authenticator } from '../../methods/authenticator/index.ts';
import { authenticatorOption, signedInSession } from '../../testing/fixtures.ts';
import { fakeServer } from '../../testing/fake-server.ts';
import { AppProviders } from '../../testing/providers.tsx';
import { initTestI18n, polyfillDialog } from '../../testing/setup.ts';
import { RequireAdmin } from './RequireAdmin.tsx';

/** An administrator's session whose last verification holds until `validUntil`. */
function adminSession(validUntil: Date | null): SessionInfo {
  const session = signedInSession([authenticatorOption], validUntil?.toISOString() ?? null);
  if (session.state.stage === 'signed_in') session.state.user.isAdmin = true;
  return session;
}

const inAMinute = () => new Date(Date.now() + 60_000);

beforeAll(async () => {
  polyfillDialog();
  await initTestI18n();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const adminPage = (
  <AppProviders kinds={[authenticator]}>
    <RequireAdmin>
      <p>The admin page</p>
    </RequireAdmin>
  </AppProviders>
);

const renderAdminPage = () => render(adminPage);

describe('RequireAdmin', () => {
  it('asks an administrator without a recent verification to verify first, then shows the page', async () => {
    const server = fakeServer();
    server.answer(sessionApi.getSession, () => adminSession(null));
    const codes: unknown[] = [];
    server.answer(sessionApi.verifyTotp, (body) => {
      codes.push(body);
      return adminSession(inAMinute());
    });
    renderAdminPage();

    await userEvent.click(await screen.findByRole('button', { name: 'Verify your identity' }));
    expect(screen.queryByText('The admin page')).toBeNull();
    const dialog = await screen.findByRole('dialog', { name: 'Verify your identity' });
    // Six digits send the code by themselves.
    await userEvent.type(await within(dialog).findByLabelText('Code'), '123456');

    expect(await screen.findByText('The admin page')).toBeTruthy();
    expect(codes).toEqual([{ methodId: 'method-1', code: '123456' }]);
  });

  it('keeps an open page when the verification runs out, and asks first on the next admin page', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const until = inAMinute();
    const server = fakeServer();
    server.answer(sessionApi.getSession, () => adminSession(until));
    const page = renderAdminPage();
    expect(await screen.findByText('The admin page')).toBeTruthy();

    vi.setSystemTime(until.getTime() + 1_000);
    page.rerender(adminPage);
    expect(screen.getByText('The admin page')).toBeTruthy();

    cleanup();
    renderAdminPage();
    expect(await screen.findByRole('button', { name: 'Verify your identity' })).toBeTruthy();
    expect(screen.queryByText('The admin page')).toBeNull();
  });

  it('tells someone who is not an administrator that the page is not for them', async () => {
    const server = fakeServer();
    server.answer(sessionApi.getSession, () => signedInSession([authenticatorOption], inAMinute().toISOString()));
    renderAdminPage();

    expect((await screen.findByRole('alert')).textContent).toBe('Only administrators can open this page.');
    expect(screen.queryByText('The admin page')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Verify your identity' })).toBeNull();
  });
});
