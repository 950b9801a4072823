/** Export folded checks as CSV (RFC 4180) or JSON. Only the record fields: never personal copies. */
import { safeJson, safeText } from '../text/safe.js';
import type { FoldedCheck } from './entries.js';

const CSV_COLUMNS = [
  'checkId',
  'at',
  'deskId',
  'purpose',
  'verdict',
  'outcome',
  'reason',
  'kid',
  'likeness',
  'followUpDate',
  'keepUntil',
  'credentialSha256',
  'credentialId',
  'demo',
  'revocation',
] as const satisfies ReadonlyArray<keyof FoldedCheck>;

/** The check line's own entry number (`seq`) is left out: it numbers a line, not the folded check. */
export function toJson(checks: readonly FoldedCheck[]): string {
  return `${safeJson(
    checks.map(({ type: _type, seq: _seq, ...rest }) => ({ ...rest, likeness: rest.likeness ?? null, demo: rest.demo === true })),
    2,
  )}
`;
}

export function toCsv(checks: readonly FoldedCheck[]): string {
  const rows = [CSV_COLUMNS.join(',')];
  // `demo` says DEMO on a check a DEMO key signed, so no export row of one can pass for a real check.
  for (const c of checks) rows.push(CSV_COLUMNS.map((col) => csvField(col === 'demo' ? (c.demo ? 'DEMO' : '') : (c[col] ?? ''))).join(','));
  return `${rows.join('\r\n')}\r\n`;
}

/**
 * A value a spreadsheet could take for a formula: one that starts with = + - @ (or their full-width forms), also
 * after leading white space, or that starts with white space (OWASP / ASVS 1.2.10).
 */
const FORMULA_LIKE = /^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^\s/;
/** Inside a value, after a `;`: the same, or a quote (which would open a quoted cell there). */
const PART_RISKY = /^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20"]|^\s/;

/**
 * One cell. A kid comes from the scanned code, so it is attacker-controlled:
 * - control characters (line breaks and tabs included) and bidi controls become U+FFFD (src/text/safe.ts): the
 *   file holds no control byte but its own CR LF, and every record is one physical line;
 * - a formula-like value is prefixed with ' (Excel and LibreOffice then show it as text);
 * - so is every part of it after a `;`: a spreadsheet in a locale whose separator is `;` splits this file at the
 *   `;` inside a value and does not see the quotes there (they are not at the start of its cell), so a part like
 *   `;=HYPERLINK(…)` would start a cell of its own;
 * - a value holding `"`, `,` or `;` is quoted (RFC 4180), so a `,` importer keeps it one cell.
 */
export function csvField(value: string): string {
  const parts = safeText(value).split(/(?<=;)/);
  const safe = parts.map((part, i) => ((i === 0 ? FORMULA_LIKE : PART_RISKY).test(part) ? `'${part}` : part)).join('');
  return /[",;]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
