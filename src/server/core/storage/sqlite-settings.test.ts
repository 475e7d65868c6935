import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './db.ts';

/** The same durability on a new file as on every later start (docs/reference.md#sqlite-durability). */
describe('SQLite settings', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-settings-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function settingsOnOpen(path: string) {
    const database = openDatabase({ sqlitePath: path });
    try {
      const pragma = async (name: string) =>
        (await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(database.db)).rows[0]?.[name];
      return { journal: await pragma('journal_mode'), synchronous: await pragma('synchronous'), foreignKeys: await pragma('foreign_keys') };
    } finally {
      await database.close();
    }
  }

  it('is WAL with synchronous NORMAL and foreign keys, on a new file and when opened again', async () => {
    const path = join(dir, 'app.sqlite');
    const expected = { journal: 'wal', synchronous: 1, foreignKeys: 1 };
    expect(await settingsOnOpen(path)).toEqual(expected);
    expect(await settingsOnOpen(path)).toEqual(expected);
  });
});
