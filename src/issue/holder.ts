/**
 * The holder file (docs/holder-file.md, examples/holder.json): a person's Claim 169 identity fields at top level and
 * their immigration status under "status". Validated with zod; unknown keys are refused so a typo is not silently
 * dropped from a credential. Error messages name the field, never its value (values are personal data).
 */
import { z } from 'zod';
import { isCalendarDate } from '../credential/dates.js';
import type { Identity, StatusClaim } from '../credential/types.js';
import { IssueError } from './errors.js';
import { readJsonFile } from './files.js';

const MAX_TEXT = 200;
const text = z.string().min(1).max(MAX_TEXT);
/** Status dates travel as day numbers since 1970-01-01 (docs/credential-format.md), so earlier dates cannot be encoded. */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine(isCalendarDate, 'not a real calendar date')
  .refine((v) => v >= '1970-01-01', 'must be on or after 1970-01-01');

/** Claim 169 gender codes (1 male, 2 female, 3 other). */
const GENDERS = { male: 1, female: 2, other: 3 } as const;

/** Claim 169 wants YYYYMMDD; a holder file may write YYYY-MM-DD for readability. */
const dateOfBirth = z
  .string()
  .regex(/^(\d{4})-?(\d{2})-?(\d{2})$/, 'expected YYYY-MM-DD or YYYYMMDD')
  .transform((v) => v.replaceAll('-', ''))
  .refine((v) => isCalendarDate(`${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`), 'not a real calendar date');

const work = z.union([
  z.enum(['unrestricted', 'none']).transform((kind) => ({ kind })),
  z.strictObject({ restricted: z.string().min(1).max(120) }).transform((w) => ({ kind: 'restricted' as const, condition: w.restricted })),
]);

const statusSchema = z
  .strictObject({
    scheme: z.enum(['EUSS', 'points-based', 'family', 'protection', 'BNO', 'other']),
    statusType: z.enum(['indefinite', 'limited', 'pending', 'protection']),
    validFrom: isoDate.optional(),
    /** Absent = indefinite (settled status / ILR). */
    validUntil: isoDate.optional(),
    work,
    rent: z.boolean(),
    publicFunds: z.boolean(),
    holderRef: z.string().min(1).max(40).optional(),
    document: z.strictObject({ type: z.string().min(1).max(40), reference: z.string().min(1).max(40) }).optional(),
  })
  .refine((s) => s.validFrom === undefined || s.validUntil === undefined || s.validFrom <= s.validUntil, {
    message: 'ends before validFrom',
    path: ['validUntil'],
  });

const holderSchema = z.strictObject({
  /** Free text for people reading the file (e.g. "SYNTHETIC DEMO HOLDER"); not put in the credential. */
  $comment: z.string().optional(),
  id: text.optional(),
  version: text.optional(),
  language: text.optional(),
  fullName: text,
  firstName: text.optional(),
  middleName: text.optional(),
  lastName: text.optional(),
  dateOfBirth: dateOfBirth,
  gender: z.union([z.enum(['male', 'female', 'other']).transform((g) => GENDERS[g]), z.literal(1), z.literal(2), z.literal(3)]).optional(),
  address: text.optional(),
  email: text.optional(),
  phone: text.optional(),
  nationality: text.optional(),
  maritalStatus: z.number().int().min(1).max(3).optional(),
  guardian: text.optional(),
  secondaryFullName: text.optional(),
  secondaryLanguage: text.optional(),
  locationCode: text.optional(),
  legalStatus: text.optional(),
  countryOfIssuance: text.optional(),
  /** Absent = an identity-only credential (valid as identity, not for a desk purpose). */
  status: statusSchema.optional(),
});

/** The holder's identity (no photo yet) and status without the per-code purpose. */
export interface Holder {
  identity: Identity;
  status: Omit<StatusClaim, 'purpose'> | null;
}

/** Validates a parsed holder file. `where` names it in the error. */
export function parseHolder(value: unknown, where = 'holder file'): Holder {
  const result = holderSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new IssueError('HOLDER_INVALID', `${where}: ${field}: ${issue.message}`);
  }
  const { $comment: _comment, status, ...identity } = result.data;
  const out: Holder = { identity: stripUndefined(identity), status: null };
  if (status) out.status = stripUndefined(status) as Omit<StatusClaim, 'purpose'>;
  return out;
}

export async function readHolder(path: string): Promise<Holder> {
  return parseHolder(await readJsonFile(path, 'holder file', 'HOLDER_INVALID'), `holder file ${path}`);
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
