/** Test payloads. Base45 is what a credential QR carries (RFC 9285 alphabet); the generator is seeded, so stable. */
export const BASE45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

export function base45Text(length: number, seed = 1): string {
  let x = seed >>> 0 || 1;
  let s = '';
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    s += BASE45[x % 45];
  }
  return s;
}
