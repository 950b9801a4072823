#!/usr/bin/env node
/**
 * Print robustness of the holder's card: does its QR code still read after a home printer, a photocopy and a phone?
 *   npm run build && nice -n 10 node bench/print.mjs [--trials 1000] [--sizes 30,33,36] [--ecc M,Q] [--seed 1]
 *        [--large] [--json] [--keep DIR]
 * Makes the demo holder's card (examples/holder.json + demo-face.jpg, the issuer's card defaults) as the real PDF
 * for each candidate card QR size × error-correction level, renders it with pdftoppm at 300 dpi (A4 portrait, grey),
 * cuts out the card's code at its printed size with 4 mm of the card around it, and runs `--trials` damaged copies
 * of it through zxing-wasm (tryHarder, as `verify --image` starts). --large does the same for the large code on the
 * page. Each trial draws, independently and uniformly:
 *   print blur           Gaussian σ 0.4–1.2 px (at 300 dpi)
 *   photocopy            half the trials: down to 150 dpi, contrast ×1.4 and 10 levels darker, σ 0.5 blur, back up
 *   rotation             −6° … +6°
 *   uneven lighting      a linear fall-off of 0–45 % across the code in a random direction
 *   JPEG                 quality 25–70
 *   grey noise           Gaussian σ 0–18 levels
 * A trial counts when zxing returns exactly the card's code. A MODEL, not a camera: it ranks sizes and settings;
 * it does not promise what a given phone will do.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import sharp from 'sharp';

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const TRIALS = Number(opt('--trials', '1000'));
const SIZES = opt('--sizes', '30,33,36').split(',').map(Number);
const ECCS = opt('--ecc', 'M,Q').split(',');
const SEED = Number(opt('--seed', '1'));
const keep = opt('--keep', null);
const DPI = 300;
const PX_PER_MM = DPI / 25.4;

const root = new URL('..', import.meta.url).pathname;
const { readHolder } = await import(join(root, 'dist/issue/holder.js'));
const { readSigner } = await import(join(root, 'dist/issue/keys.js'));
const { shrinkPhoto, DEFAULT_PHOTO_BYTES } = await import(join(root, 'dist/issue/photo.js'));
const { issueCredential, DEFAULT_CARD_VALID_DAYS } = await import(join(root, 'dist/issue/issue.js'));
const { cardPdf, cardGeometry, CARD_QR_MM, CARD_ECC } = await import(join(root, 'dist/issue/card.js'));

// ---- the demo holder's card code, with the issuer's card defaults ---------------------------------------------
const holder = await readHolder(join(root, 'examples/holder.json'));
const signer = await readSigner(join(root, 'examples/demo-issuer.private.jwk'));
const photo = await shrinkPhoto(readFileSync(join(root, 'examples/demo-face.jpg')), DEFAULT_PHOTO_BYTES);
const code = issueCredential({
  holder,
  signer,
  photo,
  purpose: 'all',
  validDays: DEFAULT_CARD_VALID_DAYS,
  issuedAt: new Date('2026-12-01T10:00:00Z'),
  endOfDay: true,
});

// ---- zxing-wasm, offline --------------------------------------------------------------------------------------
const require = createRequire(import.meta.url);
const zxing = await import('zxing-wasm/reader');
const wasm = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
await zxing.prepareZXingModule({
  overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) },
  fireImmediately: true,
});
async function decodes(jpeg) {
  const found = await zxing.readBarcodes(new Uint8Array(jpeg), { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 2 });
  const valid = found.filter((r) => r.isValid);
  return valid.length === 1 && valid[0].text === code;
}

// ---- deterministic randomness ---------------------------------------------------------------------------------
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const uniform = (r, lo, hi) => lo + (hi - lo) * r();
function gauss(r) {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

// ---- the damage model -----------------------------------------------------------------------------------------
function drawTrial(r) {
  return {
    blur: uniform(r, 0.4, 1.2),
    copy: r() < 0.5,
    angle: uniform(r, -6, 6),
    light: uniform(r, 0, 0.45),
    lightDir: uniform(r, 0, 2 * Math.PI),
    jpeg: Math.round(uniform(r, 25, 70)),
    noise: uniform(r, 0, 18),
    noiseSeed: Math.floor(r() * 2 ** 31),
  };
}

/** One grey channel out of any sharp pipeline (sharp turns a 1-channel raw input into sRGB on some operations). */
const grey1 = (pipeline) => pipeline.extractChannel(0).raw().toBuffer({ resolveWithObject: true });

async function damage(grey, width, height, t) {
  const raw = (data, w, h) => sharp(data, { raw: { width: w, height: h, channels: 1 } });
  let { data, info } = await grey1(raw(grey, width, height).blur(t.blur));
  if (t.copy) {
    const half = await grey1(
      raw(data, info.width, info.height).resize(Math.round(info.width / 2), Math.round(info.height / 2), { kernel: 'cubic' }),
    );
    for (let i = 0; i < half.data.length; i++) half.data[i] = Math.max(0, Math.min(255, Math.round((half.data[i] - 128) * 1.4 + 128 - 10)));
    ({ data, info } = await grey1(
      raw(half.data, half.info.width, half.info.height).blur(0.5).resize(info.width, info.height, { kernel: 'cubic' }),
    ));
  }
  ({ data, info } = await grey1(raw(data, info.width, info.height).rotate(t.angle, { background: { r: 255, g: 255, b: 255 } })));
  const r = rng(t.noiseSeed);
  const dx = Math.cos(t.lightDir);
  const dy = Math.sin(t.lightDir);
  const span = Math.abs(dx) * info.width + Math.abs(dy) * info.height;
  const x0 = dx < 0 ? info.width : 0;
  const y0 = dy < 0 ? info.height : 0;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const along = ((x - x0) * dx + (y - y0) * dy) / span; // 0 … 1 across the picture
      const i = y * info.width + x;
      data[i] = Math.max(0, Math.min(255, Math.round(data[i] * (1 - t.light * along) + t.noise * gauss(r))));
    }
  }
  return raw(data, info.width, info.height).jpeg({ quality: t.jpeg }).toBuffer();
}

// ---- rendering the real PDF -----------------------------------------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'proofdesk-print-'));
async function renderCard(ecc, sizeMm) {
  const pdfPath = join(work, `card-${ecc}-${sizeMm}.pdf`);
  writeFileSync(pdfPath, await cardPdf(code, { ecc, cardQrMm: sizeMm, demo: true }));
  const base = join(work, `card-${ecc}-${sizeMm}`);
  execFileSync('pdftoppm', ['-r', String(DPI), '-gray', '-png', '-singlefile', pdfPath, base]);
  return `${base}.png`;
}
async function cutOut(pngPath, box, marginMm = 4) {
  const left = Math.round((box.x - marginMm) * PX_PER_MM);
  const top = Math.round((box.y - marginMm) * PX_PER_MM);
  const side = Math.round((box.width + 2 * marginMm) * PX_PER_MM);
  const { data, info } = await grey1(sharp(pngPath).extract({ left, top, width: side, height: side }).greyscale());
  return { data, width: info.width, height: info.height };
}

// ---- trials ---------------------------------------------------------------------------------------------------
const BINS = [
  ['blur σ 0.4–0.8', (t) => t.blur < 0.8],
  ['blur σ 0.8–1.2', (t) => t.blur >= 0.8],
  ['no photocopy', (t) => !t.copy],
  ['photocopy (150 dpi, harsh)', (t) => t.copy],
  ['rotation < 3°', (t) => Math.abs(t.angle) < 3],
  ['rotation 3–6°', (t) => Math.abs(t.angle) >= 3],
  ['lighting fall-off < 22 %', (t) => t.light < 0.225],
  ['lighting fall-off 22–45 %', (t) => t.light >= 0.225],
  ['JPEG q 25–47', (t) => t.jpeg < 48],
  ['JPEG q 48–70', (t) => t.jpeg >= 48],
  ['noise σ 0–9', (t) => t.noise < 9],
  ['noise σ 9–18', (t) => t.noise >= 9],
  ['worst corner: copy, blur ≥ 0.8, JPEG < 48, noise ≥ 9', (t) => t.copy && t.blur >= 0.8 && t.jpeg < 48 && t.noise >= 9],
];
async function runTrials(label, crop, seed) {
  const r = rng(seed);
  const outcomes = [];
  for (let i = 0; i < TRIALS; i++) {
    const t = drawTrial(r);
    const jpeg = await damage(crop.data, crop.width, crop.height, t);
    const ok = await decodes(jpeg);
    outcomes.push({ t, ok });
    if (keep && i < 6) writeFileSync(join(keep, `${label.replace(/\W+/g, '-')}-${i}-${ok ? 'ok' : 'fail'}.jpg`), jpeg);
  }
  const rate = (sel) => ({ n: sel.length, ok: sel.filter((o) => o.ok).length });
  return { label, all: rate(outcomes), bins: BINS.map(([name, f]) => ({ name, ...rate(outcomes.filter((o) => f(o.t))) })) };
}
/** 95 % Wilson interval, as a lower bound: what a rate of ok/n is at least, with 95 % confidence. */
function wilsonLow(ok, n) {
  if (n === 0) return 0;
  const z = 1.96;
  const p = ok / n;
  return (p + (z * z) / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
}

if (keep) mkdirSync(keep, { recursive: true });
const started = new Date();
const results = [];
const candidates = [];
for (const ecc of ECCS) for (const size of SIZES) candidates.push({ ecc, size });
for (const [k, { ecc, size }] of candidates.entries()) {
  const qr = QRCode.create(code, { errorCorrectionLevel: ecc });
  const png = await renderCard(ecc, size);
  const crop = await cutOut(png, cardGeometry(size).cardQr);
  const res = await runTrials(`card ${size} mm ECC ${ecc}`, crop, SEED + k);
  results.push({ kind: 'card', ecc, sizeMm: size, version: qr.version, moduleMm: size / qr.modules.size, ...res });
  process.stderr.write(
    `card ${size} mm ECC ${ecc} (v${qr.version}, ${(size / qr.modules.size).toFixed(3)} mm modules): ${res.all.ok}/${res.all.n}\n`,
  );
}
if (args.includes('--large')) {
  const png = await renderCard(CARD_ECC, CARD_QR_MM);
  const box = cardGeometry(CARD_QR_MM).pageQr;
  const qr = QRCode.create(code, { errorCorrectionLevel: CARD_ECC });
  const res = await runTrials('large code on the page', await cutOut(png, box, 5), SEED + 100);
  results.push({ kind: 'page', ecc: CARD_ECC, sizeMm: box.width, version: qr.version, moduleMm: box.width / qr.modules.size, ...res });
  process.stderr.write(`large code ${box.width} mm: ${res.all.ok}/${res.all.n}\n`);
}
rmSync(work, { recursive: true, force: true });

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load average ${loadavg()
  .map((l) => l.toFixed(1))
  .join(' ')}`;
if (args.includes('--json')) {
  console.log(JSON.stringify({ started, machine, code: { chars: code.length }, trials: TRIALS, seed: SEED, results }, null, 1));
} else {
  const pct = ({ ok, n }) => (n === 0 ? '—' : `${((100 * ok) / n).toFixed(1)} %`);
  console.log(`# print robustness — ${started.toISOString()} — ${machine}`);
  console.log(`code: the demo holder's card code, ${code.length} Base45 characters; ${TRIALS} trials per code, seed ${SEED}\n`);
  console.log('| code | size (symbol) | ECC | QR version | module | decoded | rate | 95 % lower bound |');
  console.log('|---|---:|---|---:|---:|---:|---:|---:|');
  for (const r of results)
    console.log(
      `| ${r.kind} | ${r.sizeMm} mm | ${r.ecc} | ${r.version} | ${r.moduleMm.toFixed(3)} mm | ${r.all.ok}/${r.all.n} | ${pct(r.all)} | ${(100 * wilsonLow(r.all.ok, r.all.n)).toFixed(1)} % |`,
    );
  console.log(`\nper condition (decode rate; trials in the bin in brackets):\n`);
  console.log(`| condition | ${results.map((r) => `${r.kind} ${r.sizeMm} mm ${r.ecc}`).join(' | ')} |`);
  console.log(`|---|${results.map(() => '---:').join('|')}|`);
  for (const [i, [name]] of BINS.entries())
    console.log(`| ${name} | ${results.map((r) => `${pct(r.bins[i])} (${r.bins[i].n})`).join(' | ')} |`);
}
