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

export const SHIFT = 0x02;
/**
 * Keyboard-wedge boot reports (HID Usage Tables, Keyboard/Keypad page 0x07; the HID boot keyboard report): modifiers
 * (LShift 0x02), reserved, six key slots; a press report then a release report per character.
 * Base45 character → [modifiers, usage], from the usage table (US layout).
 */
function usageOf(ch: string): [number, number] {
  if (ch >= 'A' && ch <= 'Z') return [SHIFT, 0x04 + ch.charCodeAt(0) - 65];
  if (ch >= '1' && ch <= '9') return [0, 0x1e + ch.charCodeAt(0) - 49];
  const table: Record<string, [number, number]> = {
    '0': [0, 0x27],
    ' ': [0, 0x2c],
    '-': [0, 0x2d],
    '.': [0, 0x37],
    '/': [0, 0x38],
    $: [SHIFT, 0x21],
    '%': [SHIFT, 0x22],
    '*': [SHIFT, 0x25],
    '+': [SHIFT, 0x2e],
    ':': [SHIFT, 0x33],
  };
  const u = table[ch];
  if (!u) throw new Error(`no usage for ${ch}`);
  return u;
}

export const press = (mods: number, key: number) => Buffer.from([mods, 0, key, 0, 0, 0, 0, 0]);
export const RELEASE = Buffer.alloc(8);
export const ENTER = 0x28;
export const TAB = 0x2b;

export function typed(text: string, suffixKey?: number): Buffer[] {
  const reports: Buffer[] = [];
  for (const ch of text) {
    const [mods, key] = usageOf(ch);
    reports.push(press(mods, key), RELEASE);
  }
  if (suffixKey) reports.push(press(0, suffixKey), RELEASE);
  return reports;
}
