// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initTestI18n } from '../../../testing/setup.ts';
import { UndeliveredNotices } from './UndeliveredNotices.tsx';

beforeAll(async () => {
  await initTestI18n();
});
afterEach(cleanup);

describe('UndeliveredNotices', () => {
  it('lists each notice the queue gave up on, with the mail server’s answer', () => {
    render(
      <UndeliveredNotices
        notices={[
          {
            id: 'm1',
            subject: 'Your security info changed',
            to: 'ola@example.test',
            queuedAt: '2026-11-25T10:00:00.000Z',
            gaveUpAt: '2026-11-25T10:00:05.000Z',
            attempts: 1,
            reason: '550 Mailbox unavailable',
          },
        ]}
      />,
    );
    const section = screen.getByRole('region', { name: 'Undelivered e-mail notices' });
    const [item] = within(section).getAllByRole('listitem');
    expect(item?.textContent).toContain('Your security info changed');
    expect(item?.textContent).toContain('To ola@example.test');
    expect(item?.textContent).toContain('after 1 attempt');
    expect(item?.textContent).toContain('550 Mailbox unavailable');
  });

  it('shows nothing when every notice was delivered', () => {
    const { container } = render(<UndeliveredNotices notices={[]} />);
    expect(container.childElementCount).toBe(0);
  });
});
