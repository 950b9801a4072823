/** Export folded checks as CSV (RFC 4180) or JSON. Only the record fields: never personal copies. */
import type { FoldedCheck } from './entries.js';

export const CSV_COLUMNS = [
  'checkId', 'at', 'deskId', 'purpose', 'verdict', 'reason', 'kid', 'likeness', 'followUpDate', 'keepUntil', 'credentialSha256',
] as const satisfies ReadonlyArray<keyof FoldedCheck>;

export function toJson(checks: readonly FoldedCheck[]): string {
  return `${JSON.stringify(checks.map(({ type: _type, ...rest }) => ({ ...rest, likeness: rest.likeness ?? null })), null, 2)}\n`;
}

export function toCsv(checks: readonly FoldedCheck[]): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const c of checks) rows.push(CSV_COLUMNS.map((col) => csvField(c[col] ?? '')).join(','));
  return `${rows.join('\r\n')}\r\n`;
}

/**
 * A value a spreadsheet could take for a formula: one that starts with = + - @ (or their full-width forms), also
 * after leading spaces, tabs, line breaks or NULs, or that starts with any of those (OWASP / ASVS 1.2.10).
 */
const FORMULA_LIKE = /^[\s\0]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\s\0]/;

/**
 * Quote per RFC 4180, and defuse spreadsheet formulas: a kid comes from the scanned code, so a formula-like
 * value is prefixed with ' (Excel and LibreOffice then show it as text) before a spreadsheet can run it.
 */
export function csvField(value: string): string {
  const safe = FORMULA_LIKE.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
