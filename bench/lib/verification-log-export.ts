/**
 * The CSV export of the whole verification log, run by bench/verification-log.ts
 * in a process of its own so the peak RSS measured is the export's, not the
 * data generator's. It loads only what the export needs: the query layer and
 * the streaming code the server runs. Answers over IPC.
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { verificationLogCsv } from '../../src/server/admin/verification-log-csv.ts';
import type { Database } from '../../src/server/core/storage/schema.ts';

export interface ExportFigures {
  exportMs: number;
  bytes: number;
  lines: number;
  baselineKb: number;
  peakKb: number;
}

const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(process.argv[2]!, { readonly: true }) }) });
const baselineKb = process.resourceUsage().maxRSS;
let bytes = 0;
let lines = 0;
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    done();
  },
});
const started = performance.now();
await pipeline(Readable.from(verificationLogCsv({ db }, {}, new AbortController().signal)), sink);
const figures: ExportFigures = { exportMs: performance.now() - started, bytes, lines, baselineKb, peakKb: process.resourceUsage().maxRSS };
await db.destroy();
process.send!(figures);
