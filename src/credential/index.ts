/** The credential codec: bytes <-> claims. Pure: no I/O, no trust decisions (those are in verify/). */
export { base45Decode, base45Encode, isBase45Alphabet } from './base45.js';
export { normaliseCodeText, beginsWithZlibHeader } from './text.js';
export { CborTag, decodeCbor, encodeCbor, type CborLimits, type CborMap, type CborValue } from './cbor.js';
export { zlibCompress, zlibInflate } from './compress.js';
export { parseSign1, sigStructure, signSign1, verifySignature, type CoseAlg, type CoseSign1 } from './cose.js';
export { decodePayload, readCwtMeta, readClaims, encodeClaimsMap, type ClaimsToEncode, type CredentialClaims } from './cwt.js';
export { decodeIdentity, encodeIdentity, IDENTITY_FIELDS, BIOMETRIC_FIELDS, type BiometricField } from './claim169.js';
export {
  decodeStatus,
  encodeStatus,
  decodeStatusList,
  encodeStatusList,
  daysToIso,
  isoToDays,
  STATUS_CLAIM_KEY,
  STATUS_LIST_CLAIM_KEY,
} from './status.js';
export { encodeCredential, type CredentialSigner } from './encode.js';
export { CredentialError } from './errors.js';
export * from './limits.js';
export type * from './types.js';
