#!/usr/bin/env node
/**
 * Photo formats at equal byte budgets: which format, frame size and setting gives the most recognisable face in the
 * fewest bytes of a QR code.
 *   npm run build && node bench/photo.mjs [--out DIR] [--json]
 * For every face (bench/faces.mjs: 4 flat drawn faces, 4 textured camera-like ones), format (JPEG/mozjpeg, WebP,
 * AVIF, each in colour and grey; PNG-8 as a lossless floor) and 4:5 frame (40×50 … 64×80) it finds the highest
 * quality whose file fits each budget (binary search), decodes it, enlarges it to the 192×240 reference crop of the
 * same source (lanczos3) and scores it with SSIM on luma (Wang et al. 2004: 11×11 Gaussian window, σ 1.5,
 * K1 0.01, K2 0.03). Also: each format's fixed overhead (the smallest file of a flat 8×8 picture), and for the demo
 * holder the whole code (Base45 characters, QR version) with each winner. --out writes contact sheets (PNG) to look at.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { benchFaces } from './faces.mjs';

const args = process.argv.slice(2);
const outDir = args.includes('--out') ? args[args.indexOf('--out') + 1] : null;
const REF = [192, 240];
const FRAMES = [
  [40, 50],
  [48, 60],
  [56, 70],
  [64, 80],
];
/**
 * Budgets are what the photo costs IN THE CODE: its bytes after zlib level 9, as the issuer compresses the whole
 * COSE message. At these sizes that is not the file size: a JPEG's or AVIF's headers (quantisation and Huffman
 * tables, ISOBMFF boxes) shrink by 60–170 bytes under zlib, a WebP's do not.
 */
const BUDGETS = [300, 350, 400, 450, 500, 600];
const codeBytes = (data) => deflateSync(data, { level: 9 }).length;

/** Encoders: name → (sharp pipeline, quality) → Buffer. Grey variants drop the chroma before encoding. */
const FORMATS = {
  jpeg: (img, q) => img.jpeg({ quality: q, mozjpeg: true, chromaSubsampling: '4:2:0' }),
  'jpeg-grey': (img, q) => img.greyscale().jpeg({ quality: q, mozjpeg: true }),
  webp: (img, q) => img.webp({ quality: q, effort: 6, smartSubsample: true }),
  'webp-grey': (img, q) => img.greyscale().webp({ quality: q, effort: 6 }),
  avif: (img, q) => img.avif({ quality: q, effort: 9, chromaSubsampling: '4:2:0' }),
  'avif-grey': (img, q) => img.greyscale().avif({ quality: q, effort: 9 }),
  // The MOSIP guide's advice: a 0.3 px blur before encoding.
  'webp-blur': (img, q) => img.blur(0.3).webp({ quality: q, effort: 6, smartSubsample: true }),
  // PNG-8: "quality" is the palette size (2..256 colours); lossless apart from the palette. Not a Claim 169 photo
  // format: a floor to compare with.
  png8: (img, q) => img.png({ palette: true, colours: Math.max(2, Math.round((q / 100) * 256)), effort: 10, compressionLevel: 9 }),
};

// ---- SSIM (luma) -----------------------------------------------------------------------------------------------
function gaussianKernel(size = 11, sigma = 1.5) {
  const k = [];
  const h = (size - 1) / 2;
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const v = Math.exp(-((i - h) ** 2) / (2 * sigma * sigma));
    k.push(v);
    sum += v;
  }
  return k.map((v) => v / sum);
}
const KERNEL = gaussianKernel();
/** Separable Gaussian filter of a Float64Array image ('valid' region only). */
function filter(img, w, h) {
  const r = KERNEL.length;
  const ow = w - r + 1;
  const oh = h - r + 1;
  const tmp = new Float64Array(ow * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let i = 0; i < r; i++) s += img[y * w + x + i] * KERNEL[i];
      tmp[y * ow + x] = s;
    }
  const out = new Float64Array(ow * oh);
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let i = 0; i < r; i++) s += tmp[(y + i) * ow + x] * KERNEL[i];
      out[y * ow + x] = s;
    }
  return out;
}
export function ssim(a, b, w, h) {
  const C1 = (0.01 * 255) ** 2;
  const C2 = (0.03 * 255) ** 2;
  const fa = Float64Array.from(a);
  const fb = Float64Array.from(b);
  const mul = (x, y) => x.map((v, i) => v * y[i]);
  const ma = filter(fa, w, h);
  const mb = filter(fb, w, h);
  const saa = filter(mul(fa, fa), w, h);
  const sbb = filter(mul(fb, fb), w, h);
  const sab = filter(mul(fa, fb), w, h);
  let total = 0;
  for (let i = 0; i < ma.length; i++) {
    const va = saa[i] - ma[i] ** 2;
    const vb = sbb[i] - mb[i] ** 2;
    const cov = sab[i] - ma[i] * mb[i];
    total += ((2 * ma[i] * mb[i] + C1) * (2 * cov + C2)) / ((ma[i] ** 2 + mb[i] ** 2 + C1) * (va + vb + C2));
  }
  return total / ma.length;
}
const luma = (img) => img.greyscale().raw().toBuffer(); // sharp's greyscale: Rec. 709 luma of sRGB

// ---- encoding --------------------------------------------------------------------------------------------------
async function frameOf(source, [w, h]) {
  return sharp(source).resize(w, h, { fit: 'cover', position: sharp.strategy.attention }).png().toBuffer();
}
const cache = new Map();
async function encode(frame, key, format, q) {
  const id = `${key}|${format}|${q}`;
  if (!cache.has(id)) cache.set(id, await FORMATS[format](sharp(frame), q).toBuffer());
  return cache.get(id);
}
/** Highest quality 1..100 whose output fits `budget` (size grows with quality, near enough). */
async function fit(frame, key, format, budget) {
  let lo = 1;
  let hi = 100;
  let best = null;
  while (lo <= hi) {
    const q = (lo + hi) >> 1;
    const data = await encode(frame, key, format, q);
    if (codeBytes(data) <= budget) {
      best = { q, data };
      lo = q + 1;
    } else hi = q - 1;
  }
  return best;
}
async function score(data, refLuma) {
  const up = await luma(sharp(data).resize(REF[0], REF[1], { kernel: 'lanczos3', fit: 'fill' }));
  return ssim(up, refLuma, REF[0], REF[1]);
}

// ---- run -------------------------------------------------------------------------------------------------------
const faces = await benchFaces();
const started = new Date();
const overhead = {};
const flat = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
  .png()
  .toBuffer();
for (const format of Object.keys(FORMATS)) {
  const d = await FORMATS[format](sharp(flat), 1).toBuffer();
  overhead[format] = `${d.length} B (${codeBytes(d)} B after zlib)`;
}

/** rows: { face, kind, format, frame, budget, bytes, q, ssim } */
const rows = [];
const sheets = {};
for (const face of faces) {
  const source = await sharp(face.jpeg).rotate().flatten({ background: '#ffffff' }).toColourspace('srgb').png().toBuffer();
  const refLuma = await luma(sharp(source).resize(REF[0], REF[1], { fit: 'cover', position: sharp.strategy.attention }));
  for (const frame of FRAMES) {
    const key = `${face.name}@${frame.join('x')}`;
    const png = await frameOf(source, frame);
    for (const format of Object.keys(FORMATS)) {
      for (const budget of BUDGETS) {
        const got = await fit(png, key, format, budget);
        const row = {
          face: face.name,
          kind: face.kind,
          format,
          frame: frame.join('×'),
          budget,
          bytes: got?.data.length ?? null,
          codeBytes: got ? codeBytes(got.data) : null,
          q: got?.q ?? null,
          ssim: got ? await score(got.data, refLuma) : null,
        };
        rows.push(row);
        if (got) (sheets[`${face.name}|${budget}`] ??= []).push({ label: `${format} ${row.frame}`, data: got.data });
      }
    }
  }
}

// ---- summary: mean SSIM per format × frame × budget over all faces (a combination that misses a budget on any face scores null)
const summary = [];
for (const format of Object.keys(FORMATS))
  for (const frame of FRAMES.map((f) => f.join('×')))
    for (const budget of BUDGETS) {
      const sel = rows.filter((r) => r.format === format && r.frame === frame && r.budget === budget);
      const ok = sel.every((r) => r.ssim !== null);
      const mean = (k, kind) => {
        const s = sel.filter((r) => kind === undefined || r.kind === kind);
        return s.reduce((a, r) => a + r[k], 0) / s.length;
      };
      summary.push({
        format,
        frame,
        budget,
        ok,
        ssim: ok ? mean('ssim') : null,
        ssimFlat: ok ? mean('ssim', 'flat') : null,
        ssimTextured: ok ? mean('ssim', 'textured') : null,
        bytes: ok ? mean('bytes') : null,
        codeBytes: ok ? mean('codeBytes') : null,
        minQ: ok ? Math.min(...sel.map((r) => r.q)) : null,
      });
    }

// ---- the whole demo code with the best frame per format at each budget -----------------------------------------
const { readHolder } = await import('../dist/issue/holder.js');
const { readSigner } = await import('../dist/issue/keys.js');
const { issueCredential } = await import('../dist/issue/issue.js');
const holder = await readHolder(new URL('../examples/holder.json', import.meta.url).pathname);
const signer = await readSigner(new URL('../examples/demo-issuer.private.jwk', import.meta.url).pathname);
const PHOTO_FORMAT = { jpeg: 1, avif: 3, webp: 4 };
const code = (data, format) =>
  issueCredential({
    holder,
    signer,
    purpose: 'all',
    validDays: 1825,
    issuedAt: new Date('2026-12-01T00:00:00Z'),
    photo: { data, photoFormat: PHOTO_FORMAT[format.split('-')[0]] ?? 0 },
  });
const demoRows = [];
for (const budget of BUDGETS)
  for (const format of ['jpeg', 'webp', 'webp-blur', 'avif', 'webp-grey', 'avif-grey']) {
    const best = summary.filter((s) => s.format === format && s.budget === budget && s.ok).sort((a, b) => b.ssim - a.ssim)[0];
    if (!best) continue;
    const r = rows.find((x) => x.face === 'demo-face' && x.format === format && x.budget === budget && x.frame === best.frame);
    const frame = best.frame.split('×').map(Number);
    const source = await sharp(faces[0].jpeg).rotate().flatten({ background: '#ffffff' }).toColourspace('srgb').png().toBuffer();
    const data = await encode(await frameOf(source, frame), `demo-face@${frame.join('x')}`, format, r.q);
    const text = code(data, format);
    demoRows.push({
      budget,
      format,
      frame: best.frame,
      meanSsim: best.ssim,
      demoBytes: data.length,
      demoCodeBytes: codeBytes(data),
      chars: text.length,
      qrM: QRCode.create(text, { errorCorrectionLevel: 'M' }).version,
      qrQ: QRCode.create(text, { errorCorrectionLevel: 'Q' }).version,
    });
  }
const noPhoto = issueCredential({ holder, signer, purpose: 'all', validDays: 1825, issuedAt: new Date('2026-12-01T00:00:00Z') });

if (args.includes('--json')) {
  console.log(JSON.stringify({ started, overhead, summary, demoRows, noPhotoChars: noPhoto.length, rows }, null, 1));
} else {
  const f3 = (x) => (x === null ? '—' : x.toFixed(3));
  console.log(
    `# photo formats — ${started.toISOString()} — node ${process.version}, sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}, aom ${sharp.versions.aom}, libwebp ${sharp.versions.webp}, mozjpeg)`,
  );
  console.log(
    `\nfixed overhead (flat 8×8 at the lowest setting): ${Object.entries(overhead)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  console.log('\nbest frame per format and budget (mean SSIM over all faces; flat / textured means):');
  console.log('| code bytes | format | frame | mean file bytes | mean code bytes | SSIM | flat | textured | lowest q |');
  console.log('|---:|---|---|---:|---:|---:|---:|---:|---:|');
  for (const budget of BUDGETS)
    for (const format of Object.keys(FORMATS)) {
      const best = summary.filter((s) => s.format === format && s.budget === budget && s.ok).sort((a, b) => b.ssim - a.ssim)[0];
      if (best)
        console.log(
          `| ${budget} | ${format} | ${best.frame} | ${best.bytes.toFixed(0)} | ${best.codeBytes.toFixed(0)} | ${f3(best.ssim)} | ${f3(best.ssimFlat)} | ${f3(best.ssimTextured)} | ${best.minQ} |`,
        );
      else console.log(`| ${budget} | ${format} | — | — | no frame fits every face | | | |`);
    }
  console.log('\nevery frame (mean SSIM; — = misses the budget on some face):');
  console.log(`| format | frame | ${BUDGETS.map((b) => `${b} B`).join(' | ')} |`);
  console.log(`|---|---|${BUDGETS.map(() => '---:').join('|')}|`);
  for (const format of Object.keys(FORMATS))
    for (const frame of FRAMES.map((f) => f.join('×'))) {
      console.log(
        `| ${format} | ${frame} | ${BUDGETS.map((b) => f3(summary.find((s) => s.format === format && s.frame === frame && s.budget === b).ssim)).join(' | ')} |`,
      );
    }
  console.log(
    `\nthe demo holder's whole code (examples/holder.json, demo key, no iss, 1,825-day card): without a photo ${noPhoto.length} characters`,
  );
  console.log('| code bytes | format | frame | mean SSIM | demo photo file / code bytes | Base45 chars | QR version M / Q |');
  console.log('|---:|---|---|---:|---:|---:|---|');
  for (const r of demoRows)
    console.log(
      `| ${r.budget} | ${r.format} | ${r.frame} | ${f3(r.meanSsim)} | ${r.demoBytes} / ${r.demoCodeBytes} | ${r.chars} | ${r.qrM} / ${r.qrQ} |`,
    );
}

if (outDir) {
  // One sheet per face and budget: every format × frame that fits, enlarged 3× (nearest, so blocks show as they are).
  mkdirSync(outDir, { recursive: true });
  for (const [id, tiles] of Object.entries(sheets)) {
    const [face, budget] = id.split('|');
    if (!['400', '450'].includes(budget)) continue;
    const W = 64 * 3 + 8;
    const H = 80 * 3 + 24;
    const cols = FRAMES.length;
    const rowsN = Math.ceil(tiles.length / cols);
    const composites = [];
    for (const [i, t] of tiles.entries()) {
      const img = await sharp(t.data)
        .resize(null, 80 * 3, { kernel: 'lanczos3' })
        .png()
        .toBuffer();
      const label = Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="20"><text x="4" y="15" font-family="DejaVu Sans" font-size="12">${t.label}</text></svg>`,
      );
      composites.push(
        { input: img, left: (i % cols) * W + 4, top: Math.floor(i / cols) * H + 20 },
        { input: label, left: (i % cols) * W, top: Math.floor(i / cols) * H },
      );
    }
    await sharp({ create: { width: cols * W, height: rowsN * H, channels: 3, background: '#ffffff' } })
      .composite(composites)
      .png()
      .toFile(join(outDir, `${face}-${budget}.png`));
  }
  writeFileSync(join(outDir, 'rows.json'), JSON.stringify(rows));
}
