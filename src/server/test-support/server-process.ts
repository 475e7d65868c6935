import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');

/**
 * The real server (src/server/main.ts under tsx) as a process of its own, for
 * what only a process shows: how it starts, and surviving kill -9. Never on
 * PostgreSQL: DATABASE_URL is not passed on.
 */
export function startServerProcess(env: Record<string, string>): ChildProcess & { stderrText(): string } {
  const { DATABASE_URL: _notPassed, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: root,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return Object.assign(child, { stderrText: () => stderr });
}

/** How the process ended: its exit code, or the signal that ended it. */
export function exitOf(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done(child.signalCode ?? child.exitCode);
    child.once('exit', (code, signal) => done(signal ?? code));
  });
}
