import {
  TOKEN_IMPORT_MAX_BYTES,
  type TokenImportBody,
  type TokenImportPreview,
  type TokenImportProblem,
} from '../../../../shared/api/hardware-token.ts';
import { ApiError } from '../../../core/api-error.ts';
import type { ServerContext } from '../../../core/context.ts';
import { newId } from '../../../core/crypto/random.ts';
import { MIN_SECRET_BYTES } from '../otp.ts';
import type { HardwareTokensTable } from '../schema.ts';
import { existingSerials, insertTokens, sealTokenSecret, usersByUpn } from '../store.ts';
import type { ParsedToken } from './parsed-token.ts';

/** The preview lists this many problems; the count covers them all. */
const LISTED_PROBLEMS = 500;

export interface CheckedImport {
  tokens: Array<ParsedToken & { userId: string | null }>;
  problems: TokenImportProblem[];
}

type ImportRequest = { format: TokenImportBody['format']; content: string; preSharedKey?: string | undefined };

/**
 * Reads a file and checks each token as the import would store it: secret length, serials
 * unique in the file and not yet imported, users that exist. Nothing is written.
 */
export async function checkImport(ctx: ServerContext, body: ImportRequest): Promise<CheckedImport> {
  // The request's limit is on the JSON; the file itself may have 10 MB.
  if (Buffer.byteLength(body.content, 'utf8') > TOKEN_IMPORT_MAX_BYTES) throw new ApiError(413, 'payload_too_large');
  // The parsers (csv-parse, fast-xml-parser) are loaded by the first import, not at every start (docs/reference.md#server-start).
  const parsed =
    body.format === 'csv'
      ? (await import('./csv.ts')).parseTokenCsv(body.content)
      : (await import('./pskc.ts')).parsePskc(body.content, body.preSharedKey);
  const problems = [...parsed.problems];
  const imported = await existingSerials(
    ctx,
    parsed.tokens.map((t) => t.serial),
  );
  const users = await usersByUpn(
    ctx,
    parsed.tokens.flatMap((t) => (t.upn ? [t.upn] : [])),
  );
  const seen = new Set<string>();
  const tokens: CheckedImport['tokens'] = [];
  for (const token of parsed.tokens) {
    const fail = (reason: TokenImportProblem['reason']) => problems.push({ ...token.where, serial: token.serial, reason });
    const duplicate = seen.has(token.serial);
    seen.add(token.serial);
    const userId = token.upn ? (users.get(token.upn.toLowerCase()) ?? null) : null;
    if (token.secret.length < MIN_SECRET_BYTES) fail('secret_too_short');
    else if (duplicate) fail('duplicate_in_file');
    else if (imported.has(token.serial)) fail('already_imported');
    else if (token.upn && !userId) fail('unknown_user');
    else tokens.push({ ...token, userId });
  }
  // In file order: by line, or by key package.
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || packageIndex(a.element) - packageIndex(b.element));
  return { tokens, problems };
}

const packageIndex = (element: string | undefined) => Number(/\[(\d+)\]/.exec(element ?? '')?.[1] ?? 0);

export function previewOf(format: ImportRequest['format'], checked: CheckedImport): TokenImportPreview {
  return {
    format,
    tokens: checked.tokens.length,
    totp: checked.tokens.filter((t) => t.kind === 'totp').length,
    hotp: checked.tokens.filter((t) => t.kind === 'hotp').length,
    problemCount: checked.problems.length,
    problems: checked.problems.slice(0, LISTED_PROBLEMS),
  };
}

/**
 * Stores every token of a file in one transaction, or none: a file with any problem is
 * refused whole, and a serial another import stored meanwhile rolls the whole file back.
 */
export async function commitImport(ctx: ServerContext, body: ImportRequest): Promise<number> {
  const checked = await checkImport(ctx, body);
  if (checked.problems.length > 0 || checked.tokens.length === 0) throw new ApiError(422, 'token_import_invalid');
  const now = ctx.clock.now();
  const rows: HardwareTokensTable[] = checked.tokens.map((t) => {
    const id = newId();
    return {
      id,
      serial: t.serial,
      kind: t.kind,
      algorithm: t.algorithm,
      digits: t.digits,
      period: t.period,
      counter: t.counter,
      drift: 0,
      last_step: -1,
      secret_enc: sealTokenSecret(ctx, id, t.secret),
      manufacturer: t.manufacturer,
      model: t.model,
      assigned_user_id: t.userId,
      method_id: null,
      imported_at: now,
      last_used_at: null,
    };
  });
  try {
    await ctx.db.transaction().execute(async (trx) => insertTokens(trx, rows));
  } catch (error) {
    // The unique serial: another import stored one of these serials after the check above.
    if (
      await existingSerials(
        ctx,
        rows.map((r) => r.serial),
      ).then((s) => s.size > 0)
    )
      throw new ApiError(409, 'token_import_invalid');
    throw error;
  }
  return rows.length;
}
