/**
 * Terminal rows for `verify` and `inspect`. `verify` prints the check's one description (src/check/); `inspect`
 * prints what a code says, unverified, in the same words.
 */
import {
  isoDateOrAsIssued,
  longDate,
  personName,
  statusLine,
  publicFundsWords,
  rentWords,
  workWords,
  type CheckDescription,
  type RightAnswer,
} from '../check/index.js';
import type { Identity, StatusClaim } from '../credential/types.js';

export type Row = readonly [string, string | undefined];

const PHOTO_FORMAT: Record<number, string> = { 1: 'JPEG', 2: 'JPEG 2000', 3: 'AVIF', 4: 'WebP' };
/** A right the check did not establish is never marked as granted. */
const ANSWER_MARK: Record<RightAnswer, string> = { yes: '✔', restricted: '!', no: '✖', assess: '?', 'not-established': '–' };

/** `label: value` rows, aligned; rows without a value are left out. */
export function rows(entries: ReadonlyArray<Row>): string {
  const shown = entries.filter((e): e is readonly [string, string] => e[1] !== undefined);
  const width = Math.max(0, ...shown.map(([label]) => label.length)) + 1;
  // An empty label continues the row above (a second right under "Rights").
  return shown.map(([label, value]) => `${(label === '' ? '' : `${label}:`).padEnd(width + 1)}${value}\n`).join('');
}

function photoRow(identity: Identity): Row[] {
  return identity.photo
    ? [['Photo', `${PHOTO_FORMAT[identity.photoFormat ?? 0] ?? 'image'}, ${identity.photo.length} bytes (shown on the kiosk screen)`]]
    : [];
}

/** The rows of a verified check, from its description (nothing from the code unless the signature verified). */
export function checkRows(d: CheckDescription, identity: Identity | null, purposeGiven: boolean): Row[] {
  const out: Row[] = [];
  if (d.person) {
    out.push(['Name', d.person.name]);
    out.push(['Date of birth', d.person.dateOfBirth ? longDate(d.person.dateOfBirth) : 'not in the code']);
    if (identity) out.push(...photoRow(identity));
  }
  if (d.status) {
    out.push(['Status', d.status.label]);
    if (d.status.permissionStarts) out.push(['Permission starts', longDate(d.status.permissionStarts)]);
    out.push(['Permission ends', d.status.permissionEndsText]);
    if (d.status.document) out.push(['Identity document', `${d.status.document.type} ${d.status.document.reference}`]);
  }
  out.push(['Checked for', purposeGiven ? d.rightAsked : 'identity and status only (no --purpose)']);
  d.rights.forEach((r, i) => {
    out.push([i === 0 ? 'Rights' : '', `${ANSWER_MARK[r.answer]} ${r.text}`]);
  });
  if (purposeGiven) out.push(['Follow-up check', d.followUp.text]);
  return out;
}

/** What an (unverified) code says, in the same words as a check, for `inspect`. */
export function decodedRows(identity: Identity | null, status: StatusClaim | null): Row[] {
  const out: Row[] = [];
  if (identity) {
    out.push(['Name', personName(identity)]);
    out.push(['Date of birth', identity.dateOfBirth === undefined ? undefined : longDate(isoDateOrAsIssued(identity.dateOfBirth))]);
    out.push(...photoRow(identity));
  }
  if (status) {
    out.push(['Status', statusLine(status)]);
    out.push([
      'Rights',
      `work: ${workWords(status.work)}; rent: ${rentWords(status.rent)}; public funds: ${publicFundsWords(status.publicFunds)}`,
    ]);
    out.push(['Permission starts', status.validFrom === undefined ? undefined : longDate(status.validFrom)]);
    out.push([
      'Permission ends',
      status.validUntil === undefined
        ? status.statusType === 'pending'
          ? 'not fixed (application pending)'
          : 'no end date (indefinite)'
        : longDate(status.validUntil),
    ]);
    out.push(['Code issued for', status.purpose === 'all' ? 'all checks' : status.purpose]);
    if (status.document) out.push(['Identity document', `${status.document.type} ${status.document.reference}`]);
  } else if (identity) {
    out.push(['Status', 'none in this code (identity only)']);
  }
  return out;
}
