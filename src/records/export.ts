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
 * Quote per RFC 4180, and defuse spreadsheet formulas: a kid comes from the scanned code, so a value
 * starting with = + - @ (or a tab/CR) is prefixed with ' before a spreadsheet can run it.
 */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
