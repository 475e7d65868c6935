// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MethodSummary } from '../../../shared/api/common.ts';
import type { SecurityInfo } from '../../../shared/api/security-info.ts';
import * as securityInfoApi from '../../../shared/api/security-info.ts';
import * as sessionApi from '../../../shared/api/session.ts';
import { authenticator } from '../../methods/authenticator/index.ts';
import { phone } from '../../methods/phone/index.ts';
import { fakeServer } from '../../testing/fake-server.ts';
import { signedInSession } from '../../testing/fixtures.ts';
import { AppProviders } from '../../testing/providers.tsx';
import { initTestI18n } from '../../testing/setup.ts';
import { AddMethodChoices } from './AddMethodChoices.tsx';
import { DefaultMethodPicker } from './DefaultMethodPicker.tsx';
import { MethodList } from './MethodList.tsx';

const base = { detail: null, createdAt: '2026-01-02T03:04:05.000Z', lastUsedAt: null };
const app: MethodSummary = { ...base, id: 'm-app', kind: 'authenticator', label: 'Authenticator app', isDefault: false, turnedOff: true };
// Texts are off too: the phone can still be called.
const mobile: MethodSummary = {
  ...base,
  id: 'm-phone',
  kind: 'phone',
  label: 'Mobile phone',
  isDefault: false,
  turnedOff: false,
  deliveries: ['voice'],
};

// bob after the administrator turned authenticator apps and text messages off: the app was his default.
const info: SecurityInfo = {
  methods: [app, mobile],
  defaultMethodId: null,
  defaultDelivery: null,
  askedFirst: { methodId: mobile.id, delivery: 'voice' },
  systemPreferred: true,
  canAdd: [
    { kind: 'authenticator', remaining: 4, turnedOff: true },
    { kind: 'phone', remaining: 0, turnedOff: false },
  ],
};

const kinds = [authenticator, phone];

beforeAll(async () => {
  await initTestI18n();
});
beforeEach(() => {
  fakeServer().answer(sessionApi.getSession, () => signedInSession());
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('methods the organisation turned off', () => {
  it('are badged in the list and never as default', async () => {
    render(
      <AppProviders kinds={kinds}>
        <MethodList methods={info.methods} />
      </AppProviders>,
    );
    const appCard = (await screen.findByRole('heading', { name: /Authenticator app/ })).closest('li')!;
    expect(within(appCard).getByText('Turned off by your organisation')).toBeTruthy();
    expect(screen.queryByText('Default')).toBeNull();
  });

  it('are not offered as the default, nor is a phone delivery turned off, and a usable one is preselected', async () => {
    render(
      <AppProviders kinds={kinds}>
        <DefaultMethodPicker info={info} onSaved={() => undefined} />
      </AppProviders>,
    );
    const picker = await screen.findByLabelText('Which method do you want to use to sign in?');
    expect(
      within(picker)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Phone – Mobile phone – call']);
    expect((picker as HTMLSelectElement).value).toBe('m-phone:voice');
  });

  it('say "turned off by your organisation" in the add list, not "limit reached"', async () => {
    render(
      <AppProviders kinds={kinds}>
        <AddMethodChoices info={info} onChoose={() => undefined} />
      </AppProviders>,
    );
    const appItem = (await screen.findByText('Authenticator app')).closest('li')!;
    expect(within(appItem).getByText('Turned off by your organisation.')).toBeTruthy();
    const phoneItem = screen.getByText('Phone').closest('li')!;
    expect(within(phoneItem).getByText('You have reached the limit for this method.')).toBeTruthy();
  });

  it('offer a phone as the default once per delivery, and save the one chosen', async () => {
    const saved: unknown[] = [];
    const server = fakeServer();
    server.answer(sessionApi.getSession, () => signedInSession());
    const texted = { ...mobile, isDefault: true, deliveries: ['sms', 'voice'] } satisfies MethodSummary;
    const current: SecurityInfo = {
      ...info,
      methods: [{ ...app, turnedOff: false }, texted],
      defaultMethodId: 'm-phone',
      defaultDelivery: 'sms',
    };
    server.answer(securityInfoApi.setDefaultMethod, (body) => {
      saved.push(body);
      return { ...current, defaultDelivery: 'voice' as const };
    });
    render(
      <AppProviders kinds={kinds}>
        <DefaultMethodPicker info={current} onSaved={() => undefined} />
      </AppProviders>,
    );
    const picker = (await screen.findByLabelText('Which method do you want to use to sign in?')) as HTMLSelectElement;
    expect(
      within(picker)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Authenticator app', 'Phone – Mobile phone – text message', 'Phone – Mobile phone – call']);
    expect(picker.value).toBe('m-phone:sms');
    const confirm = screen.getByRole('button', { name: 'Confirm' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await userEvent.selectOptions(picker, 'Phone – Mobile phone – call');
    await userEvent.click(confirm);
    await waitFor(() => expect(saved).toEqual([{ methodId: 'm-phone', delivery: 'voice' }]));
  });
});
