/**
 * CSV as RFC 4180 has it (fields separated by commas, records by CRLF, a field
 * quoted when it holds a comma, a quote or a line break, quotes doubled), made
 * safe to open in a spreadsheet: a cell that starts with a character a
 * spreadsheet reads as a formula gets a leading single quote (OWASP "CSV
 * Injection").
 */

/** Spreadsheet programs find the encoding of a CSV file by this mark; without it they guess, and break non-ASCII names. */
export const UTF8_BOM = '\uFEFF';

const formulaStart = /^[=+\-@\t\r]/;
const needsQuotes = /[",\r\n]/;

export function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = formulaStart.test(value) ? `'${value}` : value;
  return needsQuotes.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(cells: readonly (string | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
