/** The issuing direction: claims → CWT → COSE_Sign1 → zlib → Base45 QR text. */
import type { KeyObject } from 'node:crypto';
import { base45Encode } from './base45.js';
import { encodeCbor } from './cbor.js';
import { zlibCompress } from './compress.js';
import { signSign1, type CoseAlg } from './cose.js';
import { encodeClaimsMap, type ClaimsToEncode } from './cwt.js';

export interface CredentialSigner {
  /** A node:crypto private key: Ed25519 for EdDSA, P-256 for ES256. */
  key: KeyObject;
  alg: CoseAlg;
  /** The JWK kid; goes into the protected header as its UTF-8 bytes. */
  kid?: string;
}

/** Encodes and signs a credential; returns the Base45 text to put in a QR code (alphanumeric mode). */
export function encodeCredential(claims: ClaimsToEncode, signer: CredentialSigner): string {
  checkSigner(signer);
  const payload = encodeCbor(encodeClaimsMap(claims));
  return base45Encode(zlibCompress(signSign1(payload, signer)));
}

function checkSigner({ key, alg }: CredentialSigner): void {
  if (key.type !== 'private') throw new TypeError('the signing key must be a private key');
  const type = key.asymmetricKeyType;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (alg === 'EdDSA' && type !== 'ed25519') throw new TypeError(`EdDSA needs an Ed25519 key, not ${type}`);
  if (alg === 'ES256' && !(type === 'ec' && curve === 'prime256v1'))
    throw new TypeError(`ES256 needs a P-256 key, not ${type} ${curve ?? ''}`.trim());
}
