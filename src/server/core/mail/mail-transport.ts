/**
 * Where the mail-queue worker hands an e-mail over: an SMTP server in
 * production, the outbox table in development and tests.
 */
export interface OutgoingMail {
  to: string;
  /** The language the text is written in (a BCP 47 tag such as `pl`). */
  language: string;
  subject: string;
  /** Plain text; transports that send MIME add an HTML part made from it. */
  text: string;
  /** `<id@domain>`, fixed when the message was queued. */
  messageId: string;
  userId: string | null;
}

/**
 * A failed hand-over. `permanent` means sending the same message again would
 * fail again (an SMTP 5xx reply to it); anything else is tried again later.
 * The message carries a reply or an error code, never a credential.
 */
export class MailSendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'MailSendError';
  }
}

export interface MailTransport {
  readonly name: string;
  send(mail: OutgoingMail): Promise<void>;
  /** Closes pooled connections at shutdown. */
  close(): void;
}
