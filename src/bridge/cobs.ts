/**
 * Consistent Overhead Byte Stuffing (Cheshire & Baker, 1999): the encoding has no 0x00 bytes, so 0x00 can
 * delimit frames and a receiver can always find the next frame after noise.
 */

/** Longest encoding of `n` bytes: one code byte per 254 data bytes, plus the first. */
export function cobsMaxEncodedLength(n: number): number {
  return n + Math.floor(n / 254) + 1;
}

export function cobsEncode(input: Uint8Array): Buffer {
  const out = Buffer.alloc(cobsMaxEncodedLength(input.length));
  let codeAt = 0;
  let at = 1;
  let code = 1;
  for (const byte of input) {
    if (byte !== 0) {
      out[at++] = byte;
      code++;
    }
    if (byte === 0 || code === 0xff) {
      out[codeAt] = code;
      codeAt = at++;
      code = 1;
    }
  }
  out[codeAt] = code;
  return out.subarray(0, at);
}

/** Decodes one frame (without its 0x00 delimiter); null if the encoding is invalid. */
export function cobsDecode(input: Uint8Array): Buffer | null {
  const out = Buffer.alloc(input.length);
  let length = 0;
  let i = 0;
  while (i < input.length) {
    const code = input[i]!;
    if (code === 0 || i + code > input.length) return null;
    for (let j = 1; j < code; j++) {
      const byte = input[i + j]!;
      if (byte === 0) return null;
      out[length++] = byte;
    }
    i += code;
    if (code !== 0xff && i < input.length) out[length++] = 0;
  }
  return out.subarray(0, length);
}
