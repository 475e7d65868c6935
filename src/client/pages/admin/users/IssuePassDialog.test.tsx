// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as sessionApi from '../../../../shared/api/session.ts';
import * as passApi from '../../../../shared/api/temporary-access-pass.ts';
import { defaultOrgPolicy } from '../../../../shared/policy.ts';
import { signedInSession } from '../../../testing/fixtures.ts';
import { fakeServer } from '../../../testing/fake-server.ts';
import { AppProviders } from '../../../testing/providers.tsx';
import { initTestI18n, polyfillDialog } from '../../../testing/setup.ts';
import { IssuePassDialog } from './IssuePassDialog.tsx';

const PASS = 'Kq7v-3Rt9-Xw2m-Lp4z';
let issued: unknown[];

beforeAll(async () => {
  polyfillDialog();
  await initTestI18n();
});

beforeEach(() => {
  issued = [];
  const server = fakeServer();
  server.answer(sessionApi.getSession, () => signedInSession(undefined, new Date(Date.now() + 600_000).toISOString()));
  server.answer(passApi.issueTemporaryAccessPass, (body) => {
    issued.push(body);
    return {
      pass: PASS,
      createdAt: '2026-11-25T10:00:00.000Z',
      startsAt: '2026-11-25T10:00:00.000Z',
      expiresAt: '2026-11-25T12:00:00.000Z',
      oneTime: false,
    };
  });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** The dialog as the user page opens it: a button, and the dialog that closes back to it. */
function Harness() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button onClick={() => setOpen(true)}>Open</button>
      <IssuePassDialog
        open={open}
        username="ada"
        name="Ada Lovelace"
        defaults={defaultOrgPolicy.temporaryAccessPass}
        replacesActive
        onClose={() => setOpen(false)}
      />
    </>
  );
}

describe('IssuePassDialog', () => {
  it('issues a pass with the chosen lifetime and use, shows it once, and forgets it when closed', async () => {
    const user = userEvent.setup();
    render(
      <AppProviders kinds={[]}>
        <Harness />
      </AppProviders>,
    );
    await user.click(await screen.findByRole('button', { name: 'Open' }));
    const form = await screen.findByRole('dialog', { name: 'Issue a temporary access pass' });
    const lifetime = within(form).getByRole('textbox', { name: 'Lifetime (minutes)' });
    expect((lifetime as HTMLInputElement).value).toBe('60');
    expect(form.textContent).toContain('The active pass stops working when you issue a new one.');
    await user.clear(lifetime);
    await user.type(lifetime, '120');
    await user.click(within(form).getByRole('radio', { name: 'Until it expires' }));
    await user.click(within(form).getByRole('button', { name: 'Issue pass' }));

    const shown = await screen.findByRole('dialog', { name: 'The temporary access pass' });
    expect(within(shown).getByText(PASS)).toBeTruthy();
    expect(shown.textContent).toContain('You will not be able to see it again.');
    expect(within(shown).getByRole('button', { name: 'Copy the pass' })).toBeTruthy();
    expect(issued).toEqual([{ lifetimeMinutes: 120, oneTime: false }]);

    await user.click(within(shown).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByText(PASS)).toBeNull());
    // Opened again, it starts from the form: the pass is not shown a second time.
    await user.click(screen.getByRole('button', { name: 'Open' }));
    expect(await screen.findByRole('dialog', { name: 'Issue a temporary access pass' })).toBeTruthy();
    expect(screen.queryByText(PASS)).toBeNull();
  });

  it('sends a start time when one is given', async () => {
    const user = userEvent.setup();
    render(
      <AppProviders kinds={[]}>
        <Harness />
      </AppProviders>,
    );
    await user.click(await screen.findByRole('button', { name: 'Open' }));
    const form = await screen.findByRole('dialog', { name: 'Issue a temporary access pass' });
    await user.type(within(form).getByLabelText('Usable from (optional)'), '2026-12-01T09:30');
    await user.click(within(form).getByRole('button', { name: 'Issue pass' }));
    await screen.findByRole('dialog', { name: 'The temporary access pass' });
    expect(issued).toEqual([{ lifetimeMinutes: 60, oneTime: true, startsAt: new Date('2026-12-01T09:30').toISOString() }]);
  });
});
