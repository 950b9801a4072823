/**
 * Trust bundles: the issuer key set, signed by the pinned root as a one-line compact JWS.
 *
 *   header  { "alg": "EdDSA" | "ES256", "typ": "proofdesk-trust-bundle+jws", "kid": <root RFC 7638 thumbprint> }
 *   payload { "seq": 7, "iat": <NumericDate>, "exp"?: <NumericDate>, "keys": [ <public issuer JWK + notBefore,
 *             notAfter, purposes> ] }
 *
 * Only the pinned root verifies a bundle (docs/trust.md). Verification order: size → shape → header allow-list →
 * type → alg → root kid → signature (jose) → payload schema → sequence → time.
 */
import { CompactSign, compactVerify } from 'jose';
import { TrustError } from './errors.js';
import { parseTrustJson, shown } from './json.js';
import { checkIssuerJwk, refuseWrongRole, signingKeyFromJwk, thumbprintOf, type IssuerJwk, type RootKey } from './jwk.js';
import { checkedJwsHeader, jwsText, parseJsonPayload } from './jws.js';
import { DEFAULT_SKEW_SECONDS } from '../credential/limits.js';
import { isNumericDate, MAX_BUNDLE_FILE_BYTES, MAX_BUNDLE_KEYS, type TrustAlg } from './limits.js';

export const BUNDLE_TYP = 'proofdesk-trust-bundle+jws';
export const STATUS_LIST_JWT_TYP = 'statuslist+jwt';

/** A bundle whose root signature and contents have been checked. */
export interface TrustBundle {
  seq: number;
  /** NumericDate the root signed it. */
  iat: number;
  /** Suggested expiry of the bundle itself (NumericDate), if any. */
  exp?: number;
  keys: IssuerJwk[];
  /** Thumbprint of the root that signed it. */
  rootThumbprint: string;
  alg: TrustAlg;
  /** The exact one-line JWS (what the store keeps). */
  text: string;
}

export interface BundleCheckOptions {
  now: number;
  skewSeconds?: number;
  /** Highest sequence number ever accepted; the bundle's seq must be greater. Omit when re-loading the active one. */
  highestSeq?: number;
  /** Refuse a bundle whose suggested expiry has passed (import does; loading the active bundle does not). */
  refuseExpired?: boolean;
  /** false: skip the issued-in-the-future and expiry checks (re-loading the already accepted active bundle). */
  timeChecks?: boolean;
}

/** Checks the keys array of a bundle payload (or an issuers JWKS being bundled). */
function checkBundleKeys(keys: unknown, where: string): IssuerJwk[] {
  if (!Array.isArray(keys) || keys.length === 0) throw new TrustError('MALFORMED', `${where} has no "keys" list`);
  if (keys.length > MAX_BUNDLE_KEYS)
    throw new TrustError('FILE_TOO_LARGE', `${where} has ${keys.length} keys; the limit is ${MAX_BUNDLE_KEYS}`);
  const out = keys.map((k, i) => {
    const label = `${where} key ${i}${typeof (k as { kid?: unknown })?.kid === 'string' ? ` (${(k as { kid: string }).kid})` : ''}`;
    refuseWrongRole(k, 'issuer', label);
    return checkIssuerJwk(k, label);
  });
  const kids = new Set<string>();
  for (const k of out) {
    if (k.kid === undefined) continue;
    if (kids.has(k.kid)) throw new TrustError('KEY_INVALID', `${where} lists kid "${k.kid}" twice`);
    kids.add(k.kid);
  }
  return out;
}

/** Verifies a bundle file's bytes against the pinned root. Throws TrustError with a one-line message. */
export async function verifyBundle(bytes: Uint8Array, root: RootKey, opts: BundleCheckOptions): Promise<TrustBundle> {
  if (bytes.length > MAX_BUNDLE_FILE_BYTES)
    throw new TrustError('FILE_TOO_LARGE', `bundle is ${bytes.length} bytes; the limit is ${MAX_BUNDLE_FILE_BYTES}`);
  const text = jwsText(bytes);
  const header = checkedJwsHeader(text, 'bundle');
  if (header.typ === STATUS_LIST_JWT_TYP) throw new TrustError('WRONG_TYPE', 'this file is a status list, not a trust bundle');
  if (header.typ !== BUNDLE_TYP)
    throw new TrustError('WRONG_TYPE', `not a trust bundle (typ ${shown(header.typ)}, expected "${BUNDLE_TYP}")`);
  if (header.alg !== root.alg)
    throw new TrustError(
      'WRONG_ROOT',
      `bundle is signed with ${header.alg} but the pinned root is an ${root.alg} key: not signed by the pinned root`,
    );
  if (header.kid !== undefined && header.kid !== root.thumbprint) {
    await refuseIssuerPinnedAsRoot(text, root);
    throw new TrustError(
      'WRONG_ROOT',
      `bundle was signed by a different root (${header.kid.slice(0, 12)}…), not the pinned root (${root.thumbprint.slice(0, 12)}…)`,
    );
  }
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(text, root.key, { algorithms: [root.alg] }));
  } catch {
    await refuseIssuerPinnedAsRoot(text, root);
    throw new TrustError(
      'SIGNATURE_INVALID',
      'bundle signature does not verify against the pinned root: the file was altered or signed by another root',
    );
  }
  const p = parseJsonPayload(payload, 'bundle');
  if (!Number.isSafeInteger(p.seq) || (p.seq as number) < 1)
    throw new TrustError('MALFORMED', 'bundle "seq" must be a positive whole number');
  if (!isNumericDate(p.iat)) throw new TrustError('MALFORMED', 'bundle "iat" must be a NumericDate');
  if (p.exp !== undefined && (!isNumericDate(p.exp) || p.exp <= p.iat))
    throw new TrustError('MALFORMED', 'bundle "exp" must be a NumericDate after "iat"');
  const keys = checkBundleKeys(p.keys, 'bundle');
  for (const k of keys) {
    if ((await thumbprintOf(k)) === root.thumbprint) {
      throw new TrustError(
        'ROOT_KEY_AS_ISSUER',
        `bundle lists the pinned root as issuer key${k.kid === undefined ? '' : ` "${k.kid}"`}: a root must only sign bundles, never codes; the issuer must make a bundle with separate issuer keys`,
      );
    }
  }
  const seq = p.seq as number;
  const skew = opts.skewSeconds ?? DEFAULT_SKEW_SECONDS;
  if (opts.highestSeq !== undefined && seq <= opts.highestSeq) {
    throw new TrustError(
      'ROLLBACK',
      seq === opts.highestSeq
        ? `bundle seq ${seq} is already installed (replay refused)`
        : `bundle seq ${seq} is older than the newest already accepted (seq ${opts.highestSeq}): rollback refused`,
    );
  }
  if (opts.timeChecks !== false && p.iat > opts.now + skew) {
    throw new TrustError(
      'ISSUED_IN_FUTURE',
      `bundle was issued at ${isoOf(p.iat)}, after this kiosk's clock (${isoOf(opts.now)}): check the clock`,
    );
  }
  if (opts.timeChecks !== false && opts.refuseExpired && p.exp !== undefined && (p.exp as number) <= opts.now - skew) {
    throw new TrustError('EXPIRED', `bundle seq ${seq} expired at ${isoOf(p.exp as number)}`);
  }
  const out: TrustBundle = { seq, iat: p.iat, keys, rootThumbprint: root.thumbprint, alg: root.alg, text };
  if (p.exp !== undefined) out.exp = p.exp as number;
  return out;
}

export interface BuildBundleOptions {
  /** The root PRIVATE JWK. */
  rootPrivateJwk: unknown;
  /** The issuer keys: a JWKS `{keys: [...]}` or a single public JWK; members notBefore/notAfter/purposes pass through. */
  issuers: unknown;
  /** How messages name the two inputs (e.g. with their file names); default "root private key", "issuer keys". */
  rootWhere?: string;
  issuersWhere?: string;
  seq: number;
  iat: number;
  /** Suggested expiry of the bundle (NumericDate). */
  exp?: number;
}

/** Issuer side: signs a bundle with the root private key. Returns the one-line JWS. */
export async function buildBundle(opts: BuildBundleOptions): Promise<string> {
  if (!Number.isSafeInteger(opts.seq) || opts.seq < 1) throw new TrustError('MALFORMED', '--seq must be a positive whole number');
  const root = await signingKeyFromJwk(opts.rootPrivateJwk, opts.rootWhere ?? 'root private key', 'root');
  const list = isJwks(opts.issuers) ? opts.issuers.keys : [opts.issuers];
  const issuersWhere = opts.issuersWhere ?? 'issuer keys';
  const keys = checkBundleKeys(list, issuersWhere);
  for (const k of keys) {
    if ((await thumbprintOf(k)) === root.thumbprint) {
      throw new TrustError(
        'ROOT_KEY_AS_ISSUER',
        `${issuersWhere} list the root's own key${k.kid === undefined ? '' : ` "${k.kid}"`} as an issuer key: a root must only sign bundles; give the issuers' own public keys`,
      );
    }
  }
  const payload: Record<string, unknown> = { seq: opts.seq, iat: opts.iat };
  if (opts.exp !== undefined) payload.exp = opts.exp;
  payload.keys = keys;
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: root.alg, typ: BUNDLE_TYP, kid: await thumbprintOf(root.publicJwk) })
    .sign(root.key);
}

/**
 * A bundle the pinned root did not sign whose issuer keys include the pinned root: an issuer key was pinned as the
 * root. Said so (ISSUER_KEY_AS_ROOT) instead of "another root". Reads the unverified payload only to word the refusal.
 */
async function refuseIssuerPinnedAsRoot(text: string, root: RootKey): Promise<void> {
  let keys: unknown;
  try {
    const body = text.split('.')[1] ?? '';
    keys = (parseTrustJson(Buffer.from(body, 'base64url').toString('utf8'), 'bundle payload') as { keys?: unknown }).keys;
  } catch {
    return;
  }
  if (!Array.isArray(keys)) return;
  for (const k of keys.slice(0, MAX_BUNDLE_KEYS)) {
    const t = k as { kty?: unknown; crv?: unknown; x?: unknown; y?: unknown; kid?: unknown };
    if (typeof t.kty !== 'string' || typeof t.crv !== 'string' || typeof t.x !== 'string' || (t.y !== undefined && typeof t.y !== 'string'))
      continue;
    let thumbprint: string;
    try {
      thumbprint = await thumbprintOf(t as { kty: string; crv: string; x: string; y?: string });
    } catch {
      continue;
    }
    if (thumbprint === root.thumbprint) {
      throw new TrustError(
        'ISSUER_KEY_AS_ROOT',
        `the pinned root is issuer key${typeof t.kid === 'string' ? ` ${shown(t.kid)}` : ''} of this bundle: an issuer's key was pinned as the root; pin the root's public key instead (proofdesk trust init --force --root ROOT.public.jwk)`,
      );
    }
  }
}

function isJwks(v: unknown): v is { keys: unknown[] } {
  return typeof v === 'object' && v !== null && Array.isArray((v as { keys?: unknown }).keys);
}

export function isoOf(numericDate: number): string {
  return new Date(numericDate * 1000).toISOString().replace('.000Z', 'Z');
}
