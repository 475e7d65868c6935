import type { Transporter } from 'nodemailer';
import type { NodemailerError } from 'nodemailer/lib/errors';
import { htmlOf } from './compose.ts';
import { MailSendError, type MailTransport, type OutgoingMail } from './mail-transport.ts';

export interface SmtpTransportOptions {
  /** `smtp://user:pass@host:587` (STARTTLS) or `smtps://user:pass@host:465` (TLS from the first byte). */
  url: string;
  /** `required`: refuse to send unless the server upgrades with STARTTLS. `off`: plain text, for a local relay only. */
  tls: 'required' | 'off';
  from: string;
  /** Limit for connecting, the greeting and each wait on the server. Default 30 s. */
  timeoutMs?: number;
}

/** The server's reply or a network error code, short; never the URL, which holds the password. */
function reasonOf(error: NodemailerError): string {
  const reply = error.response?.split('\n')[0]?.trim();
  if (reply) return reply.slice(0, 300);
  const code = error.originalCode ?? error.code;
  return code && /^[A-Z][A-Z0-9_]*$/.test(code) ? code : 'send failed';
}

/**
 * E-mail over SMTP with nodemailer, through a small pool of connections so a
 * busy queue does not open one connection per message.
 */
export function createSmtpTransport(options: SmtpTransportOptions): MailTransport {
  const url = new URL(options.url);
  const implicitTls = url.protocol === 'smtps:';
  if (!implicitTls && url.protocol !== 'smtp:') throw new Error('SMTP_URL must start with smtp:// or smtps://');
  const timeout = options.timeoutMs ?? 30_000;
  // nodemailer is loaded with the first message, not at start: an instance may run for hours before
  // it has a notice to send, and every start would pay for reading it (docs/reference.md#server-start).
  let transporter: Promise<Transporter> | undefined;
  const connect = async (): Promise<Transporter> => {
    const { default: nodemailer } = await import('nodemailer');
    return nodemailer.createTransport({
      pool: true,
      maxConnections: 3,
      host: url.hostname,
      port: url.port ? Number(url.port) : implicitTls ? 465 : 587,
      secure: implicitTls,
      // Security notices must not cross the network in clear text unless the operator said so.
      requireTLS: !implicitTls && options.tls === 'required',
      ignoreTLS: !implicitTls && options.tls === 'off',
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      // The messages are our own text; nothing should make nodemailer read a file or fetch a URL.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  };

  return {
    name: 'smtp',
    async send(mail: OutgoingMail) {
      try {
        transporter ??= connect();
        await (
          await transporter
        ).sendMail({
          from: options.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: htmlOf(mail.text, mail.language),
          messageId: mail.messageId,
          // RFC 3834: an automatic message, so auto-responders stay quiet. No List-Unsubscribe:
          // a security notice is not a mailing list one could leave.
          headers: { 'Content-Language': mail.language, 'Auto-Submitted': 'auto-generated' },
        });
      } catch (error) {
        const e = error as NodemailerError;
        // nodemailer sets `permanent` from the reply class (RFC 5321 §4.2.1: 5yz but 503). Only a
        // refusal of this message (its sender, recipient or content) makes it dead; a 5xx to
        // STARTTLS or AUTH, like a 4xx, a timeout or a refused connection, is the server's state
        // or our configuration, which the operator can fix: those are tried again.
        const refusesMessage = e.code === 'EENVELOPE' || e.code === 'EMESSAGE';
        throw new MailSendError(reasonOf(e), e.permanent === true && refusesMessage);
      }
    },
    close() {
      void transporter?.then((t) => t.close());
    },
  };
}
