/**
 * Real mail servers for the mail sign-in tests: nginx's mail proxy and
 * Dovecot (IMAP and submission), each a throwaway instance with its own
 * configuration under a temporary directory, on free loopback ports, started
 * and stopped by the test. Their configuration is rendered from `deploy/`, so
 * the snippets the README shows are the ones tested.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const repoRoot = resolve(import.meta.dirname, '../../..');
export const NGINX_MAIL_MODULE = '/usr/lib/nginx/modules/ngx_mail_module.so';

/** What these tests need that is missing (scripts/test-all.sh installs it as root). */
export function missingMailServerTools(): string[] {
  const need: Array<[string, string]> = [
    ['/usr/sbin/nginx', 'nginx'],
    [NGINX_MAIL_MODULE, 'libnginx-mod-mail'],
    ['/usr/sbin/dovecot', 'dovecot-imapd'],
    ['/usr/lib/dovecot/imap', 'dovecot-imapd'],
    ['/usr/lib/dovecot/submission', 'dovecot-submissiond'],
    ['/usr/bin/curl', 'curl'],
  ];
  return [...new Set(need.filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg))];
}

/** A file of `deploy/` with its {{NAME}} placeholders filled in; a placeholder left over is a test bug. */
export function renderTemplate(name: string, values: Record<string, string | number>): string {
  const text = readFileSync(join(repoRoot, 'deploy', name), 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (whole, key: string) =>
    key in values ? String(values[key]) : whole,
  );
  const left = /\{\{[A-Z_]+\}\}/.exec(text);
  if (left) throw new Error(`${name}: no value for ${left[0]}`);
  return text;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${log()}`);
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => done(true)).once('error', () => done(false));
      socket.once('close', () => socket.destroy());
      socket.on('connect', () => socket.end());
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} did not open:\n${log()}`);
}

export interface Running {
  /** Where its configuration and logs are. */
  dir: string;
  log(): string;
  stop(): Promise<void>;
}

async function startProcess(dir: string, command: string, args: string[], ports: number[], logFile: string): Promise<Running> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  const log = () => output + (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    for (const port of ports) await waitForPort(port, child, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { dir, log, stop };
}

/** A temporary directory the unprivileged Dovecot users can enter. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

/** Whom Dovecot runs as: Debian's dovecot and dovenull users under root, the current user otherwise. */
function dovecotUsers(): { internal: string; login: string; mail: { uid: number; gid: number } } {
  const me = userInfo();
  if (me.uid !== 0) return { internal: me.username, login: me.username, mail: { uid: me.uid, gid: me.gid } };
  // Mail processes may not run as root; nobody owns the throwaway mail directory.
  return { internal: 'dovecot', login: 'dovenull', mail: { uid: 65534, gid: 65534 } };
}

/** A file only Dovecot's auth process (and root) can read, as the README asks for the secret. */
export function writeDovecotSecretFile(path: string, secret: string): void {
  writeFileSync(path, `${secret}\n`, { mode: 0o400 });
  const { internal } = dovecotUsers();
  if (userInfo().uid === 0) {
    const id = (flag: string) => Number(execFileSync('id', [flag, internal], { encoding: 'utf8' }).trim());
    chownSync(path, id('-u'), id('-g'));
  }
}

export interface DovecotOptions {
  imapPort: number;
  submissionPort: number;
  /** Where submission hands on the mail it accepts (an SMTP server). */
  relayPort: number;
  /** The rendered `passdb` part (from deploy/). */
  passdb: string;
}

/** Dovecot with IMAP and submission, in the foreground, as a child process of the test. */
export async function startDovecot(dir: string, options: DovecotOptions): Promise<Running> {
  const users = dovecotUsers();
  const mail = join(dir, 'mail');
  mkdirSync(join(dir, 'run'), { recursive: true });
  mkdirSync(mail, { recursive: true });
  if (userInfo().uid === 0) chownSync(mail, users.mail.uid, users.mail.gid);
  writeFileSync(join(dir, 'passdb.conf'), options.passdb);
  const logFile = join(dir, 'dovecot.log');
  writeFileSync(
    join(dir, 'dovecot.conf'),
    `# Throwaway Dovecot for a test: everything under ${dir}.
base_dir = ${dir}/run
state_dir = ${dir}/run
instance_name = secinfo-test-${options.imapPort}
log_path = ${logFile}
protocols = imap submission
listen = 127.0.0.1
ssl = no
# Loopback only; TLS is the real server's business.
disable_plaintext_auth = no
default_internal_user = ${users.internal}
default_login_user = ${users.login}
# No deliberate delay after a failed login: the tests count attempts, not seconds.
auth_failure_delay = 0
mail_location = maildir:${mail}/%n
hostname = mail.test
submission_relay_host = 127.0.0.1
submission_relay_port = ${options.relayPort}
service imap-login {
  inet_listener imap {
    port = ${options.imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service submission-login {
  inet_listener submission {
    port = ${options.submissionPort}
  }
}
!include ${dir}/passdb.conf
userdb {
  driver = static
  args = uid=${users.mail.uid} gid=${users.mail.gid} home=${mail}/%n
}
`,
  );
  return startProcess(
    dir,
    '/usr/sbin/dovecot',
    ['-F', '-c', join(dir, 'dovecot.conf')],
    [options.imapPort, options.submissionPort],
    logFile,
  );
}

/** nginx with only the mail module, in the foreground, one process. */
export async function startNginx(dir: string, mailConf: string, ports: number[]): Promise<Running> {
  const logFile = join(dir, 'error.log');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'mail.conf'), mailConf);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `load_module ${NGINX_MAIL_MODULE};
daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${logFile} info;
events { worker_connections 64; }
include ${dir}/mail.conf;
`,
  );
  return startProcess(dir, '/usr/sbin/nginx', ['-p', dir, '-e', logFile, '-c', join(dir, 'nginx.conf')], ports, logFile);
}

/** An SMTP server that accepts every message and keeps it, standing in for the MTA submission relays to. */
export async function startSmtpSink(): Promise<{ port: number; messages: string[]; close(): Promise<void> }> {
  const messages: string[] = [];
  const server: Server = createServer((socket) => {
    let buffer = '';
    let data: string[] | null = null;
    socket.write('220 sink.test ESMTP\r\n');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let end;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data) {
          if (line === '.') {
            messages.push(data.join('\n'));
            data = null;
            socket.write('250 2.0.0 queued\r\n');
          } else data.push(line);
        } else if (/^(EHLO|HELO)/i.test(line)) socket.write('250-sink.test\r\n250 8BITMIME\r\n');
        else if (/^DATA/i.test(line)) {
          data = [];
          socket.write('354 go ahead\r\n');
        } else if (/^QUIT/i.test(line)) socket.end('221 2.0.0 bye\r\n');
        else socket.write('250 2.0.0 ok\r\n');
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return { port, messages, close: () => new Promise((done) => server.close(() => done())) };
}

export interface CurlResult {
  code: number;
  /** What curl printed (with --verbose, the protocol dialogue too). */
  output: string;
  seconds: number;
}

/**
 * Runs curl as a mail client, asynchronously: the app answering nginx lives in
 * this same process, so a blocking call would deadlock.
 */
export async function curl(args: string[]): Promise<CurlResult> {
  const started = performance.now();
  try {
    const { stdout, stderr } = await run('/usr/bin/curl', ['--silent', '--show-error', '--verbose', '--max-time', '20', ...args]);
    return { code: 0, output: stdout + stderr, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : -1,
      output: (e.stdout ?? '') + (e.stderr ?? ''),
      seconds: (performance.now() - started) / 1000,
    };
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
