/**
 * Faces for the photo benchmarks: the four flat demo faces in examples/ and four "textured" ones drawn here, closer
 * to a camera photo (skin and hair texture from SVG turbulence, side lighting, glasses or a beard, sensor grain,
 * a JPEG at camera quality). All synthetic: no real person. Deterministic (fixed seeds), so runs compare.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples');

function texturedSvg({ skin, skinDark, hair, shirt, bg, glasses, beard, tilt }) {
  const g = glasses
    ? `<g fill="none" stroke="#1d1d1d" stroke-width="7"><ellipse cx="195" cy="258" rx="36" ry="27"/><ellipse cx="287" cy="258" rx="36" ry="27"/><path d="M231 254 Q241 246 251 254"/></g>`
    : '';
  const b = beard
    ? `<path d="M138 300 C150 400 200 430 240 432 C280 430 330 400 342 300 C320 350 290 372 240 374 C190 372 160 350 138 300 Z" fill="${hair}"/>`
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="600" viewBox="0 0 480 600">
<defs>
 <filter id="soft"><feGaussianBlur stdDeviation="6"/></filter>
 <radialGradient id="bg" cx="30%" cy="30%" r="90%"><stop offset="0" stop-color="${bg[0]}"/><stop offset="1" stop-color="${bg[1]}"/></radialGradient>
 <radialGradient id="sk" cx="38%" cy="38%" r="70%"><stop offset="0" stop-color="${skin}"/><stop offset="0.7" stop-color="${skinDark}"/><stop offset="1" stop-color="#3a2418"/></radialGradient>
 <linearGradient id="shirt" x1="0" x2="1"><stop offset="0" stop-color="${shirt}"/><stop offset="1" stop-color="#111"/></linearGradient>
</defs>
<rect width="480" height="600" fill="url(#bg)"/>
<ellipse cx="380" cy="120" rx="120" ry="80" fill="#fff" opacity="0.25" filter="url(#soft)"/>
<g transform="rotate(${tilt} 240 300)">
<path d="M10 640 C40 500 150 470 240 470 C330 470 440 500 470 640 Z" fill="url(#shirt)"/>
<path d="M200 400 L280 400 L292 490 L188 490 Z" fill="${skinDark}"/>
<ellipse cx="118" cy="285" rx="20" ry="36" fill="${skinDark}"/><ellipse cx="362" cy="285" rx="20" ry="36" fill="${skinDark}"/>
<ellipse cx="240" cy="270" rx="122" ry="158" fill="url(#sk)"/>
<path d="M112 255 C100 110 190 78 246 82 C330 86 385 140 368 255 C356 190 322 158 292 148 C250 176 168 176 146 158 C124 190 118 222 112 255 Z" fill="${hair}"/>
${b}
<path d="M166 230 Q194 214 222 228" stroke="${hair}" stroke-width="8" fill="none" stroke-linecap="round"/>
<path d="M258 228 Q286 214 314 230" stroke="${hair}" stroke-width="8" fill="none" stroke-linecap="round"/>
<ellipse cx="195" cy="260" rx="19" ry="11" fill="#f4efe8"/><circle cx="197" cy="260" r="9" fill="#3b2a1a"/><circle cx="199" cy="257" r="2.5" fill="#fff"/>
<ellipse cx="287" cy="260" rx="19" ry="11" fill="#f4efe8"/><circle cx="285" cy="260" r="9" fill="#3b2a1a"/><circle cx="287" cy="257" r="2.5" fill="#fff"/>
<path d="M242 268 Q233 306 224 318 Q242 330 262 318" stroke="${skinDark}" stroke-width="7" fill="none" stroke-linecap="round" opacity="0.8"/>
<path d="M204 356 Q242 378 280 356" stroke="#8a4040" stroke-width="8" fill="none" stroke-linecap="round"/>
${g}
</g>
</svg>`;
}

const TEXTURED = {
  'textured-1': {
    seed: 3,
    skin: '#e8c0a0',
    skinDark: '#b88462',
    hair: '#4a3020',
    shirt: '#385878',
    bg: ['#f1f1ee', '#9aa4ad'],
    glasses: false,
    beard: false,
    tilt: -3,
  },
  'textured-2': {
    seed: 11,
    skin: '#9c6a48',
    skinDark: '#61402a',
    hair: '#141010',
    shirt: '#7a3030',
    bg: ['#e8eef2', '#7d8b99'],
    glasses: true,
    beard: false,
    tilt: 2,
  },
  'textured-3': {
    seed: 23,
    skin: '#f3d6c0',
    skinDark: '#c99c80',
    hair: '#c8a060',
    shirt: '#2f5a3a',
    bg: ['#fafafa', '#c8c8c8'],
    glasses: false,
    beard: false,
    tilt: 4,
  },
  'textured-4': {
    seed: 37,
    skin: '#c89470',
    skinDark: '#8c5e40',
    hair: '#2a2220',
    shirt: '#555560',
    bg: ['#eef0f4', '#a0a8b8'],
    glasses: true,
    beard: true,
    tilt: -2,
  },
};

/**
 * Camera-like texture in pixel space (librsvg's turbulence filters do not composite reliably): mid-frequency
 * blotches (noise at 1/6 scale, enlarged smoothly, ±12 levels) for skin and hair, fine grain (±6), a slight blur,
 * then a camera-quality JPEG.
 */
async function grainy(svg, seed) {
  let x = (0x9e3779b9 ^ seed) >>> 0;
  const rand = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  const base = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = base.info;
  const small = Buffer.alloc(Math.ceil(width / 6) * Math.ceil(height / 6));
  for (let i = 0; i < small.length; i++) small[i] = Math.floor(rand() * 256);
  const blotch = await sharp(small, { raw: { width: Math.ceil(width / 6), height: Math.ceil(height / 6), channels: 1 } })
    .resize(width, height, { kernel: 'cubic' })
    .blur(2)
    .raw()
    .toBuffer();
  const data = base.data;
  for (let p = 0, i = 0; p < width * height; p++, i += 3) {
    const n = ((blotch[p] - 128) / 128) * 12 + (rand() * 12 - 6);
    for (let c = 0; c < 3; c++) data[i + c] = Math.max(0, Math.min(255, Math.round(data[i + c] + n)));
  }
  return sharp(data, { raw: base.info }).blur(0.7).jpeg({ quality: 90 }).toBuffer();
}

/** [{ name, kind: 'flat' | 'textured', jpeg }] */
export async function benchFaces() {
  const faces = [];
  for (const name of ['demo-face', 'demo-face-2', 'demo-face-3', 'demo-face-4']) {
    faces.push({ name, kind: 'flat', jpeg: readFileSync(join(examples, `${name}.jpg`)) });
  }
  for (const [name, look] of Object.entries(TEXTURED))
    faces.push({ name, kind: 'textured', jpeg: await grainy(texturedSvg(look), look.seed) });
  return faces;
}
