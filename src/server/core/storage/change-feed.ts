import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { databaseExtrasOf, type DatabaseExtras } from './db.ts';
import type { Database } from './schema.ts';

/** How often the change counter (and every task given to `every`) is looked at: well inside the 1 s promise. */
export const CHANGE_POLL_MS = 250;
const NOTIFY_CHANNEL = 'secinfo_changes';
const RELISTEN_MS = 1_000;

/**
 * One instance's view of "something a cache holds has changed" (docs/reference.md#caches-across-instances).
 * Three sources, any of which moves `generation` on: this process's own writes (told by the Kysely plugin
 * right after the statement), PostgreSQL's NOTIFY from another instance's trigger (delivered at its
 * commit), and the database's change counter read every 250 ms, which alone suffices on SQLite and
 * covers a lost LISTEN connection on PostgreSQL. A cache keeps what it read only while the generation
 * it read under is still current.
 */
export class ChangeFeed {
  #generation = 0;
  #version: number | undefined;
  readonly #listeners = new Set<() => void>();
  readonly #tasks: Array<() => Promise<void>> = [];
  #timer: NodeJS.Timeout | undefined;
  #ticking = false;
  #stopped = false;
  #listenClient: pg.Client | undefined;
  #unsubscribe: (() => void) | undefined;
  readonly #db: Kysely<Database>;
  readonly #log: Pick<FastifyBaseLogger, 'warn'>;
  readonly #pollMs: number;

  constructor(options: { db: Kysely<Database>; log: Pick<FastifyBaseLogger, 'warn'>; pollMs?: number }) {
    this.#db = options.db;
    this.#log = options.log;
    this.#pollMs = options.pollMs ?? CHANGE_POLL_MS;
    this.#unsubscribe = databaseExtrasOf(options.db)?.localWrites.subscribe(() => this.invalidate());
  }

  /** Moves on whenever what a cache holds may be out of date. */
  get generation(): number {
    return this.#generation;
  }

  invalidate(): void {
    this.#generation += 1;
    for (const listener of this.#listeners) listener();
  }

  onInvalidate(listener: () => void): void {
    this.#listeners.add(listener);
  }

  /** Runs `task` after each look at the counter, on the same timer (one at a time, never overlapping). */
  every(task: () => Promise<void>): void {
    this.#tasks.push(task);
  }

  start(): void {
    this.#timer = setInterval(() => void this.tick(), this.#pollMs);
    this.#timer.unref();
    void this.tick();
    this.#listen();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#unsubscribe?.();
    const client = this.#listenClient;
    this.#listenClient = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Reads the counter once and runs the tasks; the timer calls it, tests may too. */
  async tick(): Promise<void> {
    if (this.#ticking || this.#stopped) return;
    this.#ticking = true;
    try {
      const row = await this.#db.selectFrom('change_counter').select('version').where('id', '=', 1).executeTakeFirst();
      const version = Number(row?.version ?? 0);
      if (this.#version !== undefined && version !== this.#version) this.invalidate();
      this.#version = version;
      for (const task of this.#tasks) await task();
    } catch (error) {
      // A database that went away for a moment: drop everything held, the next tick tries again.
      if (!this.#stopped) {
        this.#log.warn({ err: error }, 'could not read the change counter; caches dropped');
        this.#version = undefined;
        this.invalidate();
      }
    } finally {
      this.#ticking = false;
    }
  }

  #listen(): void {
    const newClient = databaseExtrasOf(this.#db)?.newListenClient;
    if (!newClient || this.#stopped) return;
    // The client comes from `pg`, loaded at its first use (docs/reference.md#server-start).
    newClient().then(
      (client) => this.#listenWith(client),
      () => setTimeout(() => this.#listen(), RELISTEN_MS).unref(),
    );
  }

  #listenWith(client: Awaited<ReturnType<NonNullable<DatabaseExtras['newListenClient']>>>): void {
    if (this.#stopped) return;
    this.#listenClient = client;
    const again = () => {
      if (this.#listenClient !== client || this.#stopped) return;
      this.#listenClient = undefined;
      client.end().catch(() => undefined);
      // Changes during the gap are still caught by the counter.
      setTimeout(() => this.#listen(), RELISTEN_MS).unref();
    };
    client.on('notification', () => this.invalidate());
    client.on('error', again);
    client.on('end', again);
    client
      .connect()
      .then(() => client.query(`LISTEN ${NOTIFY_CHANNEL}`))
      .catch(again);
  }
}
