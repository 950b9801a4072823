/**
 * Decoded shapes of a credential, as the verifier hands them on (JSON-friendly, camelCase).
 * The CBOR wire format (integer keys) lives in claim169.ts and status.ts; docs/credential-format.md has the CDDL.
 */

/** One biometric entry of Claim 169 (keys 50–65): `{0: data, 1: format, 2: subFormat, 3: issuer}`. */
export interface Biometric {
  /** Raw bytes (JSON output renders them as padded base64). */
  data: Uint8Array;
  format?: number;
  subFormat?: number;
  issuer?: string;
}

/** MOSIP Claim 169 v1.2.0 identity. Strings are passed through exactly as issued. */
export interface Identity {
  id?: string;
  version?: string;
  language?: string;
  fullName?: string;
  firstName?: string;
  middleName?: string;
  lastName?: string;
  dateOfBirth?: string;
  gender?: number;
  address?: string;
  email?: string;
  phone?: string;
  nationality?: string;
  maritalStatus?: number;
  guardian?: string;
  photo?: Uint8Array;
  photoFormat?: number;
  bestQualityFingers?: unknown;
  secondaryFullName?: string;
  secondaryLanguage?: string;
  locationCode?: string;
  legalStatus?: string;
  countryOfIssuance?: string;
  rightThumb?: Biometric[];
  rightPointerFinger?: Biometric[];
  rightMiddleFinger?: Biometric[];
  rightRingFinger?: Biometric[];
  rightLittleFinger?: Biometric[];
  leftThumb?: Biometric[];
  leftPointerFinger?: Biometric[];
  leftMiddleFinger?: Biometric[];
  leftRingFinger?: Biometric[];
  leftLittleFinger?: Biometric[];
  rightIris?: Biometric[];
  leftIris?: Biometric[];
  face?: Biometric[];
  rightPalm?: Biometric[];
  leftPalm?: Biometric[];
  voice?: Biometric[];
  /** Keys this version does not know, kept for forward compatibility: `{"<key>": value}`. */
  unknown?: Record<string, unknown>;
}

/** The immigration scheme the permission was granted under. */
export type Scheme = 'EUSS' | 'points-based' | 'family' | 'protection' | 'BNO' | 'other';
/**
 * indefinite = settled status / indefinite leave; limited = pre-settled status / limited leave;
 * pending = application pending, certificate of application; protection = refugee / humanitarian protection.
 */
export type StatusType = 'indefinite' | 'limited' | 'pending' | 'protection';
/** What this particular code was issued for (like the three share-code types), or `all` for a paper card. */
export type CodePurpose = 'work' | 'rent' | 'other' | 'all';
/** What a desk checks. `housing` = local-authority eligibility; accepts `other` codes. */
export type DeskPurpose = 'work' | 'rent' | 'housing' | 'other';

export type WorkRight = { kind: 'unrestricted' } | { kind: 'restricted'; condition: string } | { kind: 'none' };

/** Our status claim (CWT private claim key STATUS_CLAIM_KEY). Dates are ISO `YYYY-MM-DD`. */
export interface StatusClaim {
  scheme: Scheme;
  statusType: StatusType;
  validFrom?: string;
  /** Absent = indefinite. This is the permission's end, not the code's `exp`. */
  validUntil?: string;
  work: WorkRight;
  rent: boolean;
  /** true = recourse to public funds; false = "no recourse to public funds" condition. */
  publicFunds: boolean;
  purpose: CodePurpose;
  holderRef?: string;
  /** The identity document the status was checked against, so the desk can cross-check it. */
  document?: { type: string; reference: string };
}

/** The `65535` status claim of the IETF Token Status List draft. */
export interface StatusListRef {
  idx: number;
  uri: string;
}

/** The CWT registered claims we read (NumericDate seconds). */
export interface CwtMeta {
  iss?: string;
  sub?: string;
  exp?: number;
  nbf?: number;
  iat?: number;
}
