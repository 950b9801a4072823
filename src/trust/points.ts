/**
 * Public-key point checks, run wherever a key is loaded (pinned root, bundle keys, --keys files, status-list
 * signers). A key that passes the library's import can still be unsafe to trust:
 *
 *  - Ed25519: a small-order point A (order 1, 2, 4 or 8) makes [k]A the identity for many or all k, so the fixed
 *    signature R = identity, S = 0 verifies for any message: a master forgery key with no private half. Node's
 *    verifier accepts such keys, and also non-canonical encodings (y ≥ p) of them.
 *  - P-256: a point off the curve, with coordinates ≥ p, or the point at infinity is not a public key
 *    (OpenSSL refuses these today; we check ourselves, so safety does not rest on one library's import).
 *
 * Also refused: coordinates of the wrong length, and base64url that is not the canonical spelling of its bytes
 * (two spellings of one key would give two RFC 7638 thumbprints). Arithmetic is BigInt, run once per key load.
 */

/* ------------------------------------------------------------------ Ed25519 (RFC 8032 §5.1) */

/** p = 2^255 − 19 (RFC 8032 §5.1). */
const ED_P = 2n ** 255n - 19n;
/** d = −121665/121666 mod p (RFC 8032 §5.1). */
const ED_D = 37095705934669439343138083508754565189542113879843219016388785533085940283555n;
/** sqrt(−1) = 2^((p−1)/4) mod p (RFC 8032 §5.1.3 step 3). */
const ED_SQRT_M1 = 19681161376707505956807079304988542015446066515923890162744021073123829784752n;

function edMod(a: bigint): bigint {
  const r = a % ED_P;
  return r < 0n ? r + ED_P : r;
}

function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let r = 1n;
  let b = base % m;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
  }
  return r;
}

/**
 * RFC 8032 §5.1.3 point decoding: y little-endian with bit 255 the sign of x; fails when y ≥ p (non-canonical),
 * when x² = (y² − 1)/(d y² + 1) has no root (not on the curve), or when x = 0 with the sign bit set.
 */
function edDecode(bytes: Uint8Array): { x: bigint; y: bigint } | string {
  let n = 0n;
  for (let i = 31; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  const sign = n >> 255n;
  const y = n & ((1n << 255n) - 1n);
  if (y >= ED_P) return 'is a non-canonical encoding (y ≥ p)';
  const u = edMod(y * y - 1n);
  const v = edMod(ED_D * y * y + 1n);
  // Candidate root x = u v³ (u v⁷)^((p−5)/8) (step 3).
  let x = edMod(u * modPow(v, 3n, ED_P) * modPow(edMod(u * modPow(v, 7n, ED_P)), (ED_P - 5n) / 8n, ED_P));
  const vx2 = edMod(v * x * x);
  if (vx2 !== u) {
    if (vx2 !== edMod(-u)) return 'is not a point on the curve';
    x = edMod(x * ED_SQRT_M1);
  }
  if (x === 0n && sign === 1n) return 'is a non-canonical encoding (x = 0 with the sign bit set)';
  if ((x & 1n) !== sign) x = ED_P - x;
  return { x, y };
}

/**
 * Point doubling in extended coordinates (X : Y : Z : T), a = −1 ("dbl-2008-hwcd", Hisil–Wong–Carter–Dawson 2008;
 * RFC 8032 §5.1.4 uses the same coordinates): no inversions, so checking a key costs two exponentiations.
 */
function edDouble(q: { X: bigint; Y: bigint; Z: bigint }): { X: bigint; Y: bigint; Z: bigint } {
  const A = edMod(q.X * q.X);
  const B = edMod(q.Y * q.Y);
  const C = edMod(2n * q.Z * q.Z);
  const D = edMod(-A);
  const E = edMod((q.X + q.Y) * (q.X + q.Y) - A - B);
  const G = edMod(D + B);
  const F = edMod(G - C);
  const H = edMod(D - B);
  return { X: edMod(E * F), Y: edMod(G * H), Z: edMod(F * G) };
}

/**
 * Why a 32-byte Ed25519 public key must not be trusted, or null. Small order is tested as [8]A = identity (the
 * cofactor is 8, RFC 8032 §5.1): that catches exactly the 8 small-order points (orders 1, 2, 4, 8), which
 * RFC 8032 verifiers without a cofactor check, Node's included, accept.
 */
export function ed25519KeyProblem(bytes: Uint8Array): string | null {
  if (bytes.length !== 32) return `is ${bytes.length} bytes, not 32`;
  const a = edDecode(bytes);
  if (typeof a === 'string') return a;
  let q = { X: a.x, Y: a.y, Z: 1n };
  for (let i = 0; i < 3; i++) q = edDouble(q);
  if (q.X === 0n && q.Y === q.Z) {
    return 'is a small-order point: a signature made without any private key would verify under it';
  }
  return null;
}

/* ------------------------------------------------------------------ P-256 (SEC 1 v2 §3.2.2.1, FIPS 186-4 D.1.2.3) */

const P256_P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const P256_B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

function bigBE(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/**
 * SEC 1 §3.2.2.1 public-key validation: Q ≠ O; x, y in [0, p − 1]; y² = x³ − 3x + b (mod p). The last step,
 * n Q = O, holds for every curve point because P-256's cofactor is 1. JWK cannot spell the point at infinity;
 * (0, 0), which some libraries use for it, is refused by name.
 */
export function p256KeyProblem(xBytes: Uint8Array, yBytes: Uint8Array): string | null {
  if (xBytes.length !== 32 || yBytes.length !== 32) return `has coordinates of ${xBytes.length} and ${yBytes.length} bytes, not 32`;
  const x = bigBE(xBytes);
  const y = bigBE(yBytes);
  if (x === 0n && y === 0n) return 'is the point at infinity';
  if (x >= P256_P || y >= P256_P) return 'has a coordinate ≥ p (non-canonical)';
  if ((y * y - (x * x * x - 3n * x + P256_B)) % P256_P !== 0n) return 'is not a point on the curve';
  return null;
}

/* ------------------------------------------------------------------ JWK */

/** base64url bytes, or null when `s` is not the canonical unpadded spelling of its bytes (RFC 7515 §2, RFC 4648 §5). */
export function canonicalBase64url(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
  const bytes = Buffer.from(s, 'base64url');
  return bytes.toString('base64url') === s ? bytes : null;
}

/**
 * Why a public JWK's point must not be trusted (a phrase for "<key> …"), or null. Call only for OKP/Ed25519 and
 * EC/P-256 keys whose x (and y) are strings.
 */
export function jwkPointProblem(jwk: { kty?: unknown; crv?: unknown; x?: unknown; y?: unknown }): string | null {
  const x = typeof jwk.x === 'string' ? canonicalBase64url(jwk.x) : null;
  if (x === null) return 'not a valid public key: "x" is not canonical base64url';
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    const why = ed25519KeyProblem(x);
    return why === null ? null : `not a valid Ed25519 public key (RFC 8032 §5.1.3): it ${why}`;
  }
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') {
    const y = typeof jwk.y === 'string' ? canonicalBase64url(jwk.y) : null;
    if (y === null) return 'not a valid public key: "y" is not canonical base64url';
    const why = p256KeyProblem(x, y);
    return why === null ? null : `not a valid P-256 public key (SEC 1 §3.2.2.1): it ${why}`;
  }
  return `not a valid public key: ${String(jwk.kty)}/${String(jwk.crv)} is not a supported key type`;
}
