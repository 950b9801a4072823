/**
 * `--image FILE`: the QR code in a picture, decoded with zxing-wasm (its .wasm loaded from the package: offline).
 * The picture may be a clean PNG from `issue --out`, a render of the card page, or a phone photo of a printed,
 * copied card: rotated, unevenly lit, JPEG-compressed, with other content around it. So it is tried in a few
 * prepared versions, cheapest first, until one reads:
 *   1. the picture as it is (EXIF orientation applied), at most MAX_SIDE pixels on its longest side;
 *   2. grey, contrast stretched, at 2,000 px (a dim or washed-out photo);
 *   3. grey, smoothed (median 3) at 1,400 px, global-histogram binarizer (print halftone, sensor noise);
 *   4. grey, sharpened, at 2,800 px (a small code in a large, soft photo).
 * A page holds the card's code and the same code larger: several codes with one text are one code; codes with
 * different texts are refused (the operator crops to the one to check).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { UsageError } from './usage-error.js';

/** zxing slows down sharply on camera-sized pictures; a code the size of a card still has ≥ 3 px modules here. */
const MAX_SIDE = 3000;
/** Refuse pictures that decode to more pixels than this (a decompression bomb fits in a few KB). */
const MAX_INPUT_PIXELS = 80_000_000;

type Reader = typeof import('zxing-wasm/reader');
type ReaderOptions = NonNullable<Parameters<Reader['readBarcodes']>[1]>;
let reader: Promise<Reader> | undefined;

/** Loads zxing-wasm once, with its .wasm read from the installed package (it would otherwise fetch it from a CDN). */
function loadReader(): Promise<Reader> {
  reader ??= (async () => {
    const zxing = await import('zxing-wasm/reader');
    const require = createRequire(import.meta.url);
    const wasmBinary = await readFile(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    await zxing.prepareZXingModule({
      overrides: {
        wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) as ArrayBuffer,
      },
      fireImmediately: true,
    });
    return zxing;
  })();
  return reader;
}

const BASE: ReaderOptions = { formats: ['QRCode'], tryHarder: true, tryRotate: true, maxNumberOfSymbols: 4 };

interface Pixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

type Sharp = typeof import('sharp').default;
type Prepare = (sharp: Sharp, bytes: Uint8Array) => Promise<Pixels>;

async function rgba(pipeline: import('sharp').Sharp): Promise<Pixels> {
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

const open = (sharp: Sharp, bytes: Uint8Array) => sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).rotate();
const fit = (side: number) => ({ width: side, height: side, fit: 'inside' as const, withoutEnlargement: false });

const ATTEMPTS: ReadonlyArray<{ prepare: Prepare; options?: ReaderOptions }> = [
  { prepare: (sharp, b) => rgba(open(sharp, b).resize({ ...fit(MAX_SIDE), withoutEnlargement: true })) },
  { prepare: (sharp, b) => rgba(open(sharp, b).greyscale().resize(fit(2000)).normalise()) },
  {
    prepare: (sharp, b) => rgba(open(sharp, b).greyscale().resize(fit(1400)).median(3).normalise()),
    options: { binarizer: 'GlobalHistogram' },
  },
  {
    prepare: (sharp, b) =>
      rgba(
        open(sharp, b)
          .greyscale()
          .resize({ ...fit(2800), kernel: 'lanczos3' })
          .sharpen({ sigma: 1.2 })
          .normalise(),
      ),
  },
];

/** The distinct valid texts zxing finds in one prepared picture. */
async function readOnce(zxing: Reader, input: Pixels | Uint8Array, options?: ReaderOptions): Promise<string[]> {
  const results = await zxing.readBarcodes(input as Uint8Array, { ...BASE, ...options });
  return [...new Set(results.filter((r) => r.isValid).map((r) => r.text))];
}

/** Decodes the QR code in an image's bytes (PNG, JPEG, and whatever else sharp or zxing reads); throws UsageError. */
export async function decodeQrBytes(bytes: Uint8Array, name: string): Promise<string> {
  const zxing = await loadReader();
  let sharp: Sharp | null = null;
  try {
    sharp = (await import('sharp')).default;
    await open(sharp, bytes).metadata();
  } catch {
    sharp = null; // not an image sharp reads (BMP): zxing's own loader gets the bytes as they are
  }
  let readable = false;
  const attempts = sharp ? ATTEMPTS : [];
  for (const { prepare, options } of attempts) {
    let pixels: Pixels;
    try {
      pixels = await prepare(sharp!, bytes);
    } catch {
      continue;
    }
    readable = true;
    const texts = await readOnce(zxing, pixels, options);
    if (texts.length > 0) return single(texts, name);
  }
  if (!sharp) {
    let texts: string[];
    try {
      texts = await readOnce(zxing, bytes);
    } catch {
      throw new UsageError(`image ${name} could not be read as PNG or JPEG`);
    }
    readable = true;
    if (texts.length > 0) return single(texts, name);
  }
  if (!readable) throw new UsageError(`image ${name} could not be read as PNG or JPEG`);
  throw new UsageError(`no readable QR code found in image ${name}`);
}

function single(texts: string[], name: string): string {
  if (texts.length > 1) throw new UsageError(`image ${name} holds ${texts.length} different QR codes; crop it to the one to check`);
  return texts[0]!;
}
