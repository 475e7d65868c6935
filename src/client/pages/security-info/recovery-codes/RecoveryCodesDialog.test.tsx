// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from '../../../../shared/api/recovery-codes.ts';
import * as sessionApi from '../../../../shared/api/session.ts';
import { fakeServer } from '../../../testing/fake-server.ts';
import { signedInSession } from '../../../testing/fixtures.ts';
import { AppProviders } from '../../../testing/providers.tsx';
import { initTestI18n, polyfillDialog } from '../../../testing/setup.ts';
import { RecoveryCodesSection } from './RecoveryCodesSection.tsx';

const codes = [
  'ABCDE-FGHJK',
  'MNPQR-STVWX',
  'YZ012-34567',
  '89ABC-DEFGH',
  'JKMNP-QRSTV',
  'WXYZ0-12345',
  '6789A-BCDEF',
  'GHJKM-NPQRS',
  'TVWXY-Z0123',
  '45678-9ABCD',
];
const status = (remaining: number, generatedAt: string | null = '2026-11-25T10:00:00.000Z'): api.RecoveryCodeStatus => ({
  enabled: true,
  remaining,
  total: 10,
  low: remaining <= 3,
  generatedAt,
});

/** The server: the codes' status, a generate that answers with `codes`; every request is recorded. */
function server(initial: api.RecoveryCodeStatus) {
  const fake = fakeServer();
  const requests: string[] = [];
  // Verified a moment ago: no re-verification step.
  fake.answer(sessionApi.getSession, () => signedInSession(undefined, new Date(Date.now() + 5 * 60_000).toISOString()));
  fake.answer(api.getRecoveryCodes, () => {
    requests.push('status');
    return initial;
  });
  fake.answer(api.generateRecoveryCodes, () => {
    requests.push('generate');
    return { codes, status: status(10) };
  });
  return requests;
}

function renderSection() {
  render(
    <AppProviders kinds={[]}>
      <RecoveryCodesSection />
    </AppProviders>,
  );
}

beforeAll(async () => {
  await initTestI18n();
  polyfillDialog();
});
beforeEach(() => vi.unstubAllGlobals());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('recovery codes: generate, show once', () => {
  it('asks first, generates on Generate, shows the ten codes once with Copy and Download, then forgets them', async () => {
    const requests = server(status(0, null));
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const blobs: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:codes';
    });
    URL.revokeObjectURL = vi.fn();
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderSection();

    expect(await screen.findByText('You have no recovery codes yet.')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Generate recovery codes' }));
    // Step 1: nothing generated yet; the dialog says what is coming.
    const dialog = await screen.findByRole('dialog', { name: 'Recovery codes' });
    expect(within(dialog).getByText(/You get ten codes/)).toBeTruthy();
    expect(requests).toEqual(['status']);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Generate' }));
    // Step 2: the codes, in groups, in a list of their own.
    const shown = await screen.findByRole('dialog', { name: 'Save your recovery codes' });
    expect(requests).toEqual(['status', 'generate']);
    const list = within(shown).getByRole('list', { name: 'Your recovery codes' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(codes);

    await userEvent.click(within(shown).getByRole('button', { name: 'Copy codes' }));
    expect(writeText).toHaveBeenCalledWith(codes.join('\n'));
    expect(await within(shown).findByRole('status')).toBeTruthy();

    await userEvent.click(within(shown).getByRole('button', { name: 'Download as .txt' }));
    expect(clicked).toHaveBeenCalledTimes(1);
    expect(blobs).toHaveLength(1);
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(blobs[0]!);
    });
    expect(text).toContain('Recovery codes for Ada Lovelace');
    for (const code of codes) expect(text).toContain(code);
    expect(blobs[0]!.type).toContain('text/plain');

    await userEvent.click(within(shown).getByRole('button', { name: 'I have saved them' }));
    // Gone from the page for good; the section shows the new count.
    expect(screen.queryByText(codes[0]!)).toBeNull();
    expect(await screen.findByText(/You have 10 of 10 codes left/)).toBeTruthy();
    expect(screen.getByText('Recovery codes generated.')).toBeTruthy();
  });

  it('warns at 3 or fewer, and says a new set replaces the old one', async () => {
    const requests = server(status(2));
    renderSection();
    expect(await screen.findByText('Only 2 recovery codes are left. Generate a new set soon.')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Generate new codes' }));
    const dialog = await screen.findByRole('dialog', { name: 'Recovery codes' });
    expect(within(dialog).getByText(/the old ones stop working at once/)).toBeTruthy();
    // Cancelling generates nothing.
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(requests).toEqual(['status']);
  });

  it('says so when every code is used', async () => {
    server(status(0));
    renderSection();
    expect(await screen.findByText('You have used all your recovery codes. Generate a new set.')).toBeTruthy();
  });
});
