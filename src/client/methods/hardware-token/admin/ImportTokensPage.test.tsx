// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as tokenApi from '../../../../shared/api/hardware-token.ts';
import type { TokenImportPreview } from '../../../../shared/api/hardware-token.ts';
import * as sessionApi from '../../../../shared/api/session.ts';
import { call } from '../../../api/client.ts';
import { fakeServer } from '../../../testing/fake-server.ts';
import { signedInSession } from '../../../testing/fixtures.ts';
import { AppProviders } from '../../../testing/providers.tsx';
import { initTestI18n, polyfillDialog } from '../../../testing/setup.ts';
import { ImportTokensPage } from './ImportTokensPage.tsx';

// The real API client, watched: the test asserts what the page sent at each step.
vi.mock('../../../api/client.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../api/client.ts')>();
  return { ...actual, call: vi.fn(actual.call) };
});

const csv = 'upn,serial number,secret key,time interval,manufacturer,model\r\nada,A1,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,30,,\r\n';
const clean: TokenImportPreview = { format: 'csv', tokens: 1, totp: 1, hotp: 0, problemCount: 0, problems: [] };

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

const sent = (endpoint: object) =>
  vi
    .mocked(call)
    .mock.calls.filter(([e]) => e === endpoint)
    .map(([, input]) => input?.body);

function renderPage() {
  render(
    <AppProviders kinds={[]}>
      <ImportTokensPage />
    </AppProviders>,
  );
}

describe('ImportTokensPage', () => {
  it('checks the file first, lists its problems, and offers the import only for a clean file', async () => {
    const user = userEvent.setup();
    server.answer(tokenApi.previewTokenImport, () => ({
      ...clean,
      tokens: 0,
      totp: 0,
      problemCount: 1,
      problems: [{ line: 2, serial: 'A1', reason: 'unknown_user' as const }],
    }));
    renderPage();
    await user.upload(await screen.findByLabelText('Token file'), new File([csv], 'tokens.csv', { type: 'text/csv' }));
    await user.click(screen.getByRole('button', { name: 'Check file' }));
    const problems = await screen.findByRole('table', { name: 'Problems in the file' });
    expect(problems.textContent).toContain('Line 2');
    expect(problems.textContent).toContain('There is no user with this name.');
    expect(screen.queryByRole('button', { name: /^Import/ })).toBeNull();
    expect(sent(tokenApi.previewTokenImport)).toEqual([{ format: 'csv', content: csv }]);

    server.answer(tokenApi.previewTokenImport, () => clean);
    server.answer(tokenApi.commitTokenImport, () => ({ imported: 1 }));
    await user.click(screen.getByRole('button', { name: 'Check file' }));
    await user.click(await screen.findByRole('button', { name: 'Import 1 token' }));
    expect((await screen.findByText('1 token was imported.')).getAttribute('role')).toBe('status');
    expect(sent(tokenApi.commitTokenImport)).toEqual([{ format: 'csv', content: csv }]);
  });

  it('takes a PSKC file by its name, sends the pre-shared key, and refuses a file over 10 MB before sending it', async () => {
    const user = userEvent.setup();
    server.answer(tokenApi.previewTokenImport, () => ({ ...clean, format: 'pskc' as const }));
    renderPage();
    await user.upload(await screen.findByLabelText('Token file'), new File(['<KeyContainer/>'], 'tokens.xml', { type: 'application/xml' }));
    expect((screen.getByRole('radio', { name: 'PSKC (XML)' }) as HTMLInputElement).checked).toBe(true);
    await user.type(screen.getByRole('textbox', { name: 'Pre-shared key (hex)' }), '12345678901234567890123456789012');
    await user.click(screen.getByRole('button', { name: 'Check file' }));
    await screen.findByRole('button', { name: 'Import 1 token' });
    expect(sent(tokenApi.previewTokenImport)).toEqual([
      { format: 'pskc', content: '<KeyContainer/>', preSharedKey: '12345678901234567890123456789012' },
    ]);

    const big = new File(['x'], 'big.csv');
    Object.defineProperty(big, 'size', { value: tokenApi.TOKEN_IMPORT_MAX_BYTES + 1 });
    await user.upload(screen.getByLabelText('Token file'), big);
    await user.click(screen.getByRole('button', { name: 'Check file' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The file is larger than 10 MB. Split it into smaller files.');
    expect(sent(tokenApi.previewTokenImport)).toHaveLength(1);
  });
});
