/** Plain-English lines for the terminal: a person's status and rights, shared by `verify` and `inspect`. */
import type { Identity, Scheme, StatusClaim, StatusType } from '../credential/types.js';

const SCHEME: Record<Scheme, string> = {
  EUSS: 'EU Settlement Scheme',
  'points-based': 'points-based system',
  family: 'family route',
  protection: 'protection route',
  BNO: 'British National (Overseas) route',
  other: 'other route',
};

const STATUS_TYPE: Record<StatusType, string> = {
  indefinite: 'settled status / indefinite leave',
  limited: 'pre-settled status / limited leave',
  pending: 'application pending (certificate of application)',
  protection: 'refugee / humanitarian protection',
};

const PHOTO_FORMAT: Record<number, string> = { 1: 'JPEG', 2: 'JPEG 2000', 3: 'AVIF', 4: 'WebP' };

export function statusLine(s: StatusClaim): string {
  const type = s.scheme === 'EUSS' && s.statusType === 'indefinite' ? 'settled status' : s.scheme === 'EUSS' && s.statusType === 'limited' ? 'pre-settled status' : STATUS_TYPE[s.statusType];
  return `${type} (${SCHEME[s.scheme]})`;
}

export function rightsLine(s: StatusClaim): string {
  const work = s.work.kind === 'restricted' ? `restricted (${s.work.condition})` : s.work.kind === 'unrestricted' ? 'yes' : 'no';
  return `work: ${work}; rent: ${s.rent ? 'yes' : 'no'}; public funds: ${s.publicFunds ? 'yes' : 'no recourse'}`;
}

/** Claim 169 YYYYMMDD shown as YYYY-MM-DD; anything else exactly as issued. */
export function dateOfBirthText(dob: string): string {
  return /^\d{8}$/.test(dob) ? `${dob.slice(0, 4)}-${dob.slice(4, 6)}-${dob.slice(6)}` : dob;
}

export function nameOf(identity: Identity): string | undefined {
  return identity.fullName ?? ([identity.firstName, identity.middleName, identity.lastName].filter(Boolean).join(' ') || undefined);
}

/** `label: value` rows, aligned. */
export function rows(entries: ReadonlyArray<readonly [string, string | undefined]>): string {
  const shown = entries.filter((e): e is readonly [string, string] => e[1] !== undefined);
  const width = Math.max(0, ...shown.map(([label]) => label.length)) + 1;
  return shown.map(([label, value]) => `${`${label}:`.padEnd(width + 1)}${value}\n`).join('');
}

/** Identity and status rows shown by both commands. */
export function personRows(identity: Identity | null, status: StatusClaim | null): Array<readonly [string, string | undefined]> {
  const out: Array<readonly [string, string | undefined]> = [];
  if (identity) {
    out.push(['Name', nameOf(identity)]);
    out.push(['Date of birth', identity.dateOfBirth === undefined ? undefined : dateOfBirthText(identity.dateOfBirth)]);
    if (identity.photo) out.push(['Photo', `${PHOTO_FORMAT[identity.photoFormat ?? 0] ?? 'image'}, ${identity.photo.length} bytes (shown on the kiosk screen)`]);
  }
  if (status) {
    out.push(['Status', statusLine(status)]);
    out.push(['Rights', rightsLine(status)]);
    out.push(['Permission valid from', status.validFrom]);
    out.push(['Permission valid until', status.validUntil ?? 'no end date (indefinite)']);
    out.push(['Code issued for', status.purpose === 'all' ? 'all checks' : status.purpose]);
    if (status.document) out.push(['Checked against', `${status.document.type} ${status.document.reference}`]);
  } else if (identity) {
    out.push(['Status', 'none in this code (identity only)']);
  }
  return out;
}
