/**
 * Hardware-token import at scale: a CSV of 10,000 tokens (preview, then commit) and a PSKC
 * file of 10,000 key packages, their secrets AES-128-CBC encrypted with a pre-shared key and
 * MAC-checked (preview, then commit), each through the real endpoint in-process (JSON body,
 * zod, parsing, the database checks, sealing every secret, one transaction) on a fresh SQLite
 * database. Beside each, a yardstick on the same file: the parser alone (csv-parse,
 * fast-xml-parser) for a preview, and bare better-sqlite3 inserts of the same rows in one
 * transaction for a commit. Goal: each under 5 s. `BENCH_TOKENS` / `BENCH_RUNS` scale it.
 */
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { hardwareToken, session } from '../src/shared/api/index.ts';
import { totpCode } from '../src/server/methods/authenticator/totp.ts';
import { createUser, signIn } from '../src/server/test-support/flows.ts';
import { startTestApp } from '../src/server/test-support/test-app.ts';

const TOKENS = Number(process.env.BENCH_TOKENS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const USERS = 1_000;
const GOAL_MS = 5_000;
const PSK = randomBytes(16);

const base32 = (bytes: Buffer) => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? out + alphabet[(value << (5 - bits)) & 31] : out;
};

/** Half the tokens assigned to one of the users, half waiting for an assignment. */
function csvFile(run: number, users: string[]): string {
  const rows = ['upn,serial number,secret key,time interval,manufacturer,model'];
  for (let i = 0; i < TOKENS; i++) {
    const upn = i % 2 === 0 ? users[i % users.length]! : '';
    rows.push(`${upn},C${run}-${String(i).padStart(6, '0')},${base32(randomBytes(20))},${i % 3 === 0 ? 60 : 30},Contoso,"Fob, v2"`);
  }
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}

function encrypt(plain: Buffer): Buffer {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-128-cbc', PSK, iv);
  return Buffer.concat([iv, cipher.update(plain), cipher.final()]);
}

function pskcFile(run: number): string {
  const macKey = randomBytes(20);
  const packages: string[] = [];
  for (let i = 0; i < TOKENS; i++) {
    const secret = encrypt(randomBytes(20));
    const mac = createHmac('sha1', macKey).update(secret).digest('base64');
    const totp = i % 2 === 0;
    packages.push(`  <KeyPackage>
    <DeviceInfo><Manufacturer>Acme</Manufacturer><SerialNo>P${run}-${String(i).padStart(6, '0')}</SerialNo><Model>Fob</Model></DeviceInfo>
    <Key Id="${i}" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:${totp ? 'totp' : 'hotp'}">
      <AlgorithmParameters><ResponseFormat Length="6" Encoding="DECIMAL"/></AlgorithmParameters>
      <Data>
        <Secret>
          <EncryptedValue>
            <xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
            <xenc:CipherData><xenc:CipherValue>${secret.toString('base64')}</xenc:CipherValue></xenc:CipherData>
          </EncryptedValue>
          <ValueMAC>${mac}</ValueMAC>
        </Secret>
        ${totp ? '<TimeInterval><PlainValue>30</PlainValue></TimeInterval>' : '<Counter><PlainValue>0</PlainValue></Counter>'}
      </Data>
    </Key>
  </KeyPackage>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:xenc="http://www.w3.org/2001/04/xmlenc#">
  <EncryptionKey><ds:KeyName>Pre-shared-key</ds:KeyName></EncryptionKey>
  <MACMethod Algorithm="http://www.w3.org/2000/09/xmldsig#hmac-sha1">
    <MACKey>
      <xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
      <xenc:CipherData><xenc:CipherValue>${encrypt(macKey).toString('base64')}</xenc:CipherValue></xenc:CipherData>
    </MACKey>
  </MACMethod>
${packages.join('\n')}
</KeyContainer>
`;
}

async function timed<T>(work: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: performance.now() - start, result };
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The floor for storing the rows: one prepared INSERT per row, in one transaction, on a bare SQLite file. */
function bareInsert(rows: number): number {
  const db = new SQLite(':memory:');
  db.exec(`create table t (id text primary key, serial text unique not null, kind text, algorithm text, digits int, period int,
    counter int, drift int, last_step int, secret_enc text, manufacturer text, model text, assigned_user_id text, method_id text, imported_at int, last_used_at int)`);
  const insert = db.prepare('insert into t values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const start = performance.now();
  db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      insert.run(
        randomBytes(16).toString('base64url'),
        `S${i}`,
        'totp',
        'SHA1',
        6,
        30,
        0,
        0,
        -1,
        randomBytes(60).toString('base64url'),
        'Acme',
        'Fob',
        null,
        null,
        0,
        null,
      );
    }
  })();
  const ms = performance.now() - start;
  db.close();
  return ms;
}

const t = await startTestApp('sqlite');
const admin = await createUser(t, { withAuthenticator: true, isAdmin: true });
const browser = await signIn(t, admin);
const usernames: string[] = [];
for (let i = 0; i < USERS; i++) usernames.push(`bench-user-${i}`);
const now = t.clock.now();
for (let i = 0; i < USERS; i += 500) {
  await t.app.ctx.db
    .insertInto('users')
    .values(
      usernames.slice(i, i + 500).map((username, j) => ({
        id: `bench-${i + j}`,
        username,
        first_name: null,
        last_name: null,
        email: `${username}@example.test`,
        password_hash: 'x',
        is_admin: 0,
        language: null,
        default_method_id: null,
        reregister_reason: null,
        created_at: now,
      })),
    )
    .execute();
}

async function reverify() {
  t.clock.advance(30);
  await browser.call(session.verifyTotp, { body: { code: totpCode(admin.totpSecret!, t.clock.now()) } });
}

type Body = { format: 'csv' | 'pskc'; content: string; preSharedKey?: string };
async function importOnce(body: Body) {
  const preview = await timed(() => browser.call(hardwareToken.previewTokenImport, { body }));
  const previewBody = preview.result.body as { tokens: number; problemCount: number };
  if (preview.result.status !== 200 || previewBody.tokens !== TOKENS || previewBody.problemCount !== 0) {
    throw new Error(`preview failed: ${preview.result.status} ${JSON.stringify(preview.result.body).slice(0, 300)}`);
  }
  await reverify();
  const commit = await timed(() => browser.call(hardwareToken.commitTokenImport, { body }));
  if (commit.result.status !== 200)
    throw new Error(`commit failed: ${commit.result.status} ${JSON.stringify(commit.result.body).slice(0, 300)}`);
  return { preview: preview.ms, commit: commit.ms };
}

const xml = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, processEntities: false });
const figures: Record<string, { app: number[]; yardstick: number[] }> = {
  'CSV preview': { app: [], yardstick: [] },
  'CSV commit': { app: [], yardstick: [] },
  'PSKC preview': { app: [], yardstick: [] },
  'PSKC commit': { app: [], yardstick: [] },
};
let sizes = { csv: 0, pskc: 0 };
for (let run = 0; run < RUNS; run++) {
  const csv = csvFile(run, usernames);
  const pskc = pskcFile(run);
  sizes = { csv: Buffer.byteLength(csv), pskc: Buffer.byteLength(pskc) };
  const c = await importOnce({ format: 'csv', content: csv });
  figures['CSV preview']!.app.push(c.preview);
  figures['CSV commit']!.app.push(c.commit);
  figures['CSV preview']!.yardstick.push((await timed(() => parseCsv(csv, { bom: true }))).ms);
  figures['CSV commit']!.yardstick.push(bareInsert(TOKENS));
  const p = await importOnce({ format: 'pskc', content: pskc, preSharedKey: PSK.toString('hex') });
  figures['PSKC preview']!.app.push(p.preview);
  figures['PSKC commit']!.app.push(p.commit);
  figures['PSKC preview']!.yardstick.push((await timed(() => xml.parse(pskc))).ms);
  figures['PSKC commit']!.yardstick.push(bareInsert(TOKENS));
}
await t.close();

console.log(
  `\nHardware-token import: ${TOKENS} tokens per file (CSV ${(sizes.csv / 1e6).toFixed(1)} MB, PSKC ${(sizes.pskc / 1e6).toFixed(1)} MB), median of ${RUNS} runs, SQLite`,
);
console.log('yardstick: the parser alone (preview), bare better-sqlite3 inserts in one transaction (commit)');
const rows = [['', 'app ms', 'yardstick ms', 'app / yardstick', `under ${GOAL_MS / 1000} s`]];
for (const [name, f] of Object.entries(figures)) {
  const app = median(f.app);
  const yardstick = median(f.yardstick);
  rows.push([name, app.toFixed(0), yardstick.toFixed(0), (app / yardstick).toFixed(1), app < GOAL_MS ? 'yes' : 'NO']);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((cell, i) => cell.padStart(widths[i]!)).join('  '));
