/**
 * The CSV export of the whole verification log, run by bench/verification-log.ts in a process of
 * its own, under plain node (bundled first, see exportChild there), so the memory measured is the
 * export's, not the data generator's nor a TypeScript loader's. It loads only what the export
 * needs: the query layer and the streaming code the server runs. Answers over IPC.
 *
 * Peak memory is the kernel's high-water mark of this process's resident set (VmHWM), not
 * `process.resourceUsage().maxRSS`: on Linux a forked child's maxRSS starts at its parent's
 * resident size at the fork, so it would report the parent's memory.
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { verificationLogCsvStream } from '../../src/server/admin/verification-log-csv.ts';
import type { Database } from '../../src/server/core/storage/schema.ts';

export interface ExportFigures {
  exportMs: number;
  bytes: number;
  lines: number;
  /** Resident set when ready to export: node, the modules, the open database. */
  baselineKb: number;
  /** The highest resident set of the process, export included. */
  peakKb: number;
  node: string;
  execArgv: string[];
}

function statusKb(field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return Number(match?.[1]);
}

const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(process.argv[2]!, { readonly: true }) }) });
const baselineKb = statusKb('VmHWM');
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
await pipeline(verificationLogCsvStream({ db }, {}, new AbortController().signal), sink);
const figures: ExportFigures = {
  exportMs: performance.now() - started,
  bytes,
  lines,
  baselineKb,
  peakKb: statusKb('VmHWM'),
  node: process.version,
  execArgv: process.execArgv,
};
await db.destroy();
process.send!(figures);
