// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as adminApi from '../../../../shared/api/admin.ts';
import * as sessionApi from '../../../../shared/api/session.ts';
import { defaultOrgPolicy, orgPolicySchema } from '../../../../shared/policy.ts';
import { signedInSession } from '../../../testing/fixtures.ts';
import { fakeServer } from '../../../testing/fake-server.ts';
import { AppProviders } from '../../../testing/providers.tsx';
import { initTestI18n, polyfillDialog } from '../../../testing/setup.ts';
import { PolicyPage } from './PolicyPage.tsx';

function adminSession() {
  const session = signedInSession(undefined, new Date(Date.now() + 600_000).toISOString());
  if (session.state.stage === 'signed_in') session.state.user.isAdmin = true;
  return session;
}

let server: ReturnType<typeof fakeServer>;
let saved: unknown[];
let preview: adminApi.PolicyPreview;

beforeAll(async () => {
  polyfillDialog();
  await initTestI18n();
});

beforeEach(() => {
  saved = [];
  preview = {
    turnedOff: [{ switch: 'authenticator', defaultUsers: 2, users: 3, leftWithoutMethod: 1 }],
    leftWithoutMethod: 1,
    locksOutYou: false,
  };
  server = fakeServer();
  server.answer(sessionApi.getSession, () => adminSession());
  server.answer(adminApi.getOrgPolicy, () => defaultOrgPolicy);
  server.answer(adminApi.previewOrgPolicy, () => preview);
  server.answer(adminApi.setOrgPolicy, (body) => {
    saved.push(body);
    return orgPolicySchema.parse(body);
  });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function renderPage() {
  render(
    <AppProviders kinds={[]}>
      <PolicyPage />
    </AppProviders>,
  );
  return screen.findByRole('checkbox', { name: 'Authenticator apps' });
}

describe('PolicyPage', () => {
  it('shows whom turning a kind off affects before saving, and saves nothing when cancelled', async () => {
    const user = userEvent.setup();
    await user.click(await renderPage());
    await user.click(screen.getByRole('button', { name: 'Save policy' }));

    const dialog = await screen.findByRole('dialog', { name: 'Turn these off?' });
    expect(dialog.textContent).toContain('Authenticator apps');
    expect(dialog.textContent).toContain('2 users have it as their default method.');
    expect(dialog.textContent).toContain('3 users have it registered.');
    expect(dialog.textContent).toContain('In all, 1 user would be left with no usable method.');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(saved).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Save policy' }));
    await user.click(
      within(await screen.findByRole('dialog', { name: 'Turn these off?' })).getByRole('button', { name: 'Turn off and save' }),
    );
    expect(await screen.findByText('The policy was saved.')).toBeTruthy();
    expect(saved).toEqual([{ ...defaultOrgPolicy, enabledMethods: { ...defaultOrgPolicy.enabledMethods, authenticator: false } }]);
  });

  it('will not save a change that locks the administrator out', async () => {
    preview = { ...preview, locksOutYou: true };
    const user = userEvent.setup();
    await user.click(await renderPage());
    await user.click(screen.getByRole('button', { name: 'Save policy' }));
    const dialog = await screen.findByRole('dialog', { name: 'Turn these off?' });
    expect(within(dialog).getByRole('alert').textContent).toContain('This would leave you without a method you can sign in with.');
    expect(within(dialog).getByRole('button', { name: 'Turn off and save' }).hasAttribute('disabled')).toBe(true);
  });

  it('saves a change that turns nothing off without asking', async () => {
    preview = { turnedOff: [], leftWithoutMethod: 0, locksOutYou: false };
    const user = userEvent.setup();
    await renderPage();
    await user.click(screen.getByRole('radio', { name: 'Two methods' }));
    await user.click(screen.getByRole('button', { name: 'Save policy' }));
    expect(await screen.findByText('The policy was saved.')).toBeTruthy();
    expect(saved).toMatchObject([{ registration: { methodsRequired: 2 } }]);
  });

  it('says next to a field which values it takes, and sends nothing', async () => {
    const user = userEvent.setup();
    await renderPage();
    const lifetime = screen.getByRole('textbox', { name: 'Code lifetime (seconds)' });
    await user.clear(lifetime);
    await user.type(lifetime, '5');
    await user.click(screen.getByRole('button', { name: 'Save policy' }));
    expect((await screen.findByText('Enter a whole number from 60 to 600.')).id).toBe(
      lifetime.getAttribute('aria-describedby')?.split(' ').at(-1),
    );
    expect(lifetime.getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(saved).toEqual([]);
  });
});
