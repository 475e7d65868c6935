import type { TokenImportProblem } from '../../../../shared/api/hardware-token.ts';
import type { TokenAlgorithm, TokenKind } from '../schema.ts';

/** A token read from an import file, before it is checked against the database. */
export interface ParsedToken {
  /** Normalised with normalizeSerial. */
  serial: string;
  secret: Uint8Array;
  kind: TokenKind;
  algorithm: TokenAlgorithm;
  digits: number;
  period: number;
  counter: number;
  manufacturer: string | null;
  model: string | null;
  /** The user it is for (user name or e-mail), or null when not yet assigned. */
  upn: string | null;
  /** Where it is in the file, for the preview's problems. */
  where: Pick<TokenImportProblem, 'line' | 'element'>;
}

export interface ParsedFile {
  tokens: ParsedToken[];
  problems: TokenImportProblem[];
}

/** The serial as stored and compared: no spaces, upper case (users type what is printed on the back). */
export function normalizeSerial(serial: string): string {
  return serial.replace(/\s/g, '').toUpperCase();
}

/** Time steps hardware tokens use (docs/reference.md#hardware-tokens). */
export const TOKEN_PERIODS = [30, 60] as const;

export function emptyToNull(value: string | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed.slice(0, 128);
}
