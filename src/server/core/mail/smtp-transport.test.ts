import { afterEach, describe, expect, it } from 'vitest';
import { freePort, startSmtpSink, type SmtpSink } from '../../test-support/smtp-sink.ts';
import { MailSendError, type OutgoingMail } from './mail-transport.ts';
import { createSmtpTransport } from './smtp-transport.ts';

const MAIL: OutgoingMail = {
  to: 'ola@example.test',
  language: 'pl',
  subject: 'Twoje dane zabezpieczeń zmieniły się',
  text: 'Cześć Ola,\n\ndodano metodę <Telefon>.\n\nJeśli to nie Ty, zgłoś to.',
  messageId: '<abc123@example.org>',
  userId: 'user-1',
};
const FROM = 'Security Info <security@example.org>';

async function failureOf(send: () => Promise<void>): Promise<MailSendError> {
  const error: unknown = await send().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MailSendError);
  return error as MailSendError;
}

describe('createSmtpTransport', () => {
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await sink?.stop();
    sink = undefined;
  });

  it('sends plain text and HTML in the user’s language, with our Message-ID and no List-Unsubscribe', async () => {
    sink = await startSmtpSink({ user: { name: 'mailer', pass: 'p@ss word' } });
    const url = `smtp://mailer:${encodeURIComponent('p@ss word')}@127.0.0.1:${sink.port}`;
    const transport = createSmtpTransport({ url, tls: 'off', from: FROM });
    await transport.send(MAIL);
    transport.close();

    expect(sink.accepted).toHaveLength(1);
    const [mail] = sink.accepted;
    expect(mail?.from).toBe('security@example.org');
    expect(mail?.to).toEqual(['ola@example.test']);
    expect(mail?.messageId).toBe('<abc123@example.org>');
    const raw = mail?.raw ?? '';
    expect(raw).toMatch(/^Content-Language: pl$/im);
    expect(raw).toMatch(/^Auto-Submitted: auto-generated$/im);
    expect(raw).not.toMatch(/^List-Unsubscribe/im);
    expect(raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(raw).toMatch(/Content-Type: text\/plain/i);
    expect(raw).toMatch(/Content-Type: text\/html/i);
  });

  it('refuses to send in clear text when STARTTLS is required and the server does not offer it: a temporary failure', async () => {
    sink = await startSmtpSink();
    const transport = createSmtpTransport({ url: sink.url, tls: 'required', from: FROM });
    const error = await failureOf(() => transport.send(MAIL));
    transport.close();
    expect(error.permanent).toBe(false);
    expect(sink.attempts).toBe(0);
  });

  it('reports a 4xx reply as temporary and a 5xx reply as permanent, with the reply', async () => {
    sink = await startSmtpSink({
      answers: [
        { code: 451, text: 'Try again later' },
        { code: 550, text: 'No such mailbox' },
      ],
    });
    const transport = createSmtpTransport({ url: sink.url, tls: 'off', from: FROM });
    const temporary = await failureOf(() => transport.send(MAIL));
    const permanent = await failureOf(() => transport.send(MAIL));
    transport.close();
    expect(temporary.permanent).toBe(false);
    expect(temporary.message).toContain('451');
    expect(permanent.permanent).toBe(true);
    expect(permanent.message).toContain('550 No such mailbox');
  });

  it('reports a server nobody listens at as temporary, without the password', async () => {
    const port = await freePort();
    const transport = createSmtpTransport({ url: `smtp://mailer:hunter2secret@127.0.0.1:${port}`, tls: 'off', from: FROM });
    const error = await failureOf(() => transport.send(MAIL));
    transport.close();
    expect(error.permanent).toBe(false);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).not.toContain('hunter2secret');
  });

  it('takes only smtp:// and smtps:// addresses', () => {
    expect(() => createSmtpTransport({ url: 'http://127.0.0.1:25', tls: 'off', from: FROM })).toThrow(/smtp:\/\//);
  });
});
