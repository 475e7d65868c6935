import { createServer, type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  messageId: string | undefined;
}

/** How the sink answers the n-th message: accept it, or refuse it with an SMTP reply. */
export type SinkAnswer = 'accept' | { code: number; text: string };

export interface SmtpSink {
  port: number;
  /** For SMTP_URL (plain text: the sink offers no STARTTLS, so SMTP_TLS=off). */
  url: string;
  /** Messages the sink accepted, in order. */
  accepted: ReceivedMail[];
  /** Every DATA the sink saw, accepted or refused. */
  attempts: number;
  stop(): Promise<void>;
}

/** A port nobody listens on now: bound, then freed again. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * A real SMTP server (smtp-server) on a local port, standing in for the
 * organisation's mail server: it records what it accepts and answers as told.
 */
export async function startSmtpSink(
  options: { port?: number; answers?: SinkAnswer[]; delayMs?: number; user?: { name: string; pass: string } } = {},
): Promise<SmtpSink> {
  const accepted: ReceivedMail[] = [];
  let attempts = 0;
  const user = options.user;
  const server = new SMTPServer({
    disabledCommands: user ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !user,
    logger: false,
    // The transport keeps pooled connections open; a test's stop need not wait on them.
    closeTimeout: 100,
    onAuth(auth, _session, callback) {
      if (user && auth.username === user.name && auth.password === user.pass) return callback(null, { user: auth.username });
      return callback(Object.assign(new Error('Invalid credentials'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const answer = options.answers?.[attempts] ?? 'accept';
        attempts++;
        const finish = () => {
          if (answer !== 'accept') return callback(Object.assign(new Error(answer.text), { responseCode: answer.code }));
          const raw = Buffer.concat(chunks).toString('utf8');
          accepted.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            messageId: /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1],
          });
          callback();
        };
        if (options.delayMs) setTimeout(finish, options.delayMs);
        else finish();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: user ? `smtp://${user.name}:${user.pass}@127.0.0.1:${port}` : `smtp://127.0.0.1:${port}`,
    accepted,
    get attempts() {
      return attempts;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
