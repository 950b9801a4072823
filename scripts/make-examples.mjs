#!/usr/bin/env node
/**
 * Regenerates examples/: synthetic faces (drawn here from SVG: no real person), the DEMO issuer key (made once,
 * then reused so the committed codes keep verifying), and demo codes as .txt and .png that exercise each verdict.
 * Run after `npm run build`: node scripts/make-examples.mjs [--new-key]
 * Every code is made through the real CLI (`node dist/cli/main.js issue …`), except the tampered one, which
 * changes one byte of a valid code's signed payload and re-packs it (zlib + Base45) so only the signature can tell.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ex = (...p) => join(root, 'examples', ...p);
const cli = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(cli)) {
  console.error('make-examples: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
const { base45Decode, base45Encode, zlibCompress, zlibInflate } = await import(join(root, 'dist', 'credential', 'index.js'));
const { qrPng } = await import(join(root, 'dist', 'issue', 'qr.js'));

const run = (args) => execFileSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// ---- synthetic faces --------------------------------------------------------------------------------------
/** A drawn head-and-shoulders portrait (4:5). Parameters vary skin, hair and clothes so each demo holder differs. */
function faceSvg({ skin, skinDark, hair, shirt, long }) {
  const longHair = long
    ? `<path d="M92 250 C80 420 120 500 160 520 L160 300 Z M388 250 C400 420 360 500 320 520 L320 300 Z" fill="${hair}"/>`
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="500" viewBox="40 40 400 500">
<defs><radialGradient id="bg" cx="50%" cy="35%" r="75%"><stop offset="0" stop-color="#e4ebf1"/><stop offset="1" stop-color="#b7c4d0"/></radialGradient>
<radialGradient id="sk" cx="45%" cy="40%" r="65%"><stop offset="0" stop-color="${skin}"/><stop offset="1" stop-color="${skinDark}"/></radialGradient></defs>
<rect x="40" y="40" width="400" height="500" fill="url(#bg)"/>
${longHair}
<path d="M40 600 C60 470 160 445 240 445 C320 445 420 470 440 600 Z" fill="${shirt}"/>
<path d="M205 395 L275 395 L285 470 L195 470 Z" fill="${skinDark}"/>
<ellipse cx="240" cy="265" rx="118" ry="150" fill="url(#sk)"/>
<ellipse cx="122" cy="275" rx="18" ry="34" fill="${skinDark}"/><ellipse cx="358" cy="275" rx="18" ry="34" fill="${skinDark}"/>
<path d="M118 250 C110 120 190 88 245 92 C320 95 375 140 362 250 C350 190 320 160 290 150 C250 175 170 175 150 160 C130 190 125 220 118 250 Z" fill="${hair}"/>
<path d="M168 228 Q195 212 220 226" stroke="${hair}" stroke-width="9" fill="none" stroke-linecap="round"/>
<path d="M260 226 Q285 212 312 228" stroke="${hair}" stroke-width="9" fill="none" stroke-linecap="round"/>
<ellipse cx="195" cy="255" rx="20" ry="12" fill="#fff"/><circle cx="196" cy="255" r="9" fill="#2b1d12"/>
<ellipse cx="285" cy="255" rx="20" ry="12" fill="#fff"/><circle cx="284" cy="255" r="9" fill="#2b1d12"/>
<path d="M240 262 Q232 300 222 312 Q240 322 258 312" stroke="#7a4a30" stroke-width="6" fill="none" stroke-linecap="round" opacity="0.7"/>
<path d="M200 345 Q240 370 280 345" stroke="#8b3a3a" stroke-width="9" fill="none" stroke-linecap="round"/>
</svg>`;
}

const FACES = {
  'demo-face': { skin: '#e2b48f', skinDark: '#b07a55', hair: '#3a2618', shirt: '#2f4f6f', long: false },
  'demo-face-2': { skin: '#f1cfb4', skinDark: '#c99a7a', hair: '#b8862b', shirt: '#6b2f4f', long: true },
  'demo-face-3': { skin: '#a8744f', skinDark: '#6e4529', hair: '#151010', shirt: '#3f6b35', long: false },
  'demo-face-4': { skin: '#d9a77f', skinDark: '#9c6b47', hair: '#241a14', shirt: '#7a5a1f', long: true },
};
for (const [name, look] of Object.entries(FACES)) {
  await sharp(Buffer.from(faceSvg(look)))
    .jpeg({ quality: 88 })
    .toFile(ex(`${name}.jpg`));
}

// ---- DEMO issuer key ---------------------------------------------------------------------------------------
const KID = 'DEMO-issuer-1';
if (process.argv.includes('--new-key') || !existsSync(ex('demo-issuer.private.jwk'))) {
  run(['keys', 'generate', '--alg', 'EdDSA', '--kid', KID, '--out', ex('demo-issuer'), '--force']);
}
const publicJwk = JSON.parse(readFileSync(ex('demo-issuer.public.jwk'), 'utf8'));
writeFileSync(
  ex('demo-issuer.jwks'),
  `${JSON.stringify({ $comment: 'DEMO issuer key set for trying proofdesk. NEVER trust it for real checks: its private key is published in examples/.', keys: [publicJwk] }, null, 2)}\n`,
);

// ---- demo codes ----------------------------------------------------------------------------------------------
const TEN_YEARS = String(3653);
const key = ex('demo-issuer.private.jwk');
const report = [];
function issue(name, holder, face, extra) {
  const args = ['issue', '--holder', ex(holder), '--key', key, '--iss', 'DEMO', ...(face ? ['--photo', ex(`${face}.jpg`)] : []), ...extra];
  for (const ext of ['txt', 'png']) run([...args, '--out', ex(`${name}.${ext}`)]);
  const text = readFileSync(ex(`${name}.txt`), 'utf8').trim();
  report.push([name, text.length]);
  return text;
}

// Codes made from the same inputs at the same second are identical (Ed25519 is deterministic), so .txt and .png agree.
const at = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000).toISOString(); // today, 00:00 UTC
const valid = issue('demo-valid', 'holder.json', 'demo-face', ['--valid-days', TEN_YEARS, '--at', at]);
issue('demo-rent-only', 'holder.json', 'demo-face', ['--purpose', 'rent', '--valid-days', TEN_YEARS, '--at', at]);
issue('demo-pre-settled', 'holders/pre-settled.json', 'demo-face-2', ['--valid-days', TEN_YEARS, '--at', at]);
issue('demo-pending', 'holders/pending.json', 'demo-face-3', ['--valid-days', TEN_YEARS, '--at', at]);
issue('demo-student', 'holders/student.json', 'demo-face-4', ['--purpose', 'work', '--valid-days', TEN_YEARS, '--at', at]);
issue('demo-expired', 'holder.json', 'demo-face', ['--valid-days', '30', '--at', '2025-01-06T09:00:00Z']);

// Tampered: one letter of the name changed inside the signed payload; zlib and Base45 stay well-formed.
const cose = Buffer.from(zlibInflate(base45Decode(valid)));
const nameAt = cose.indexOf(Buffer.from('Specimen'));
if (nameAt < 0) throw new Error('make-examples: name not found in the demo payload');
cose[nameAt] = 'Z'.charCodeAt(0); // "Specimen" -> "Zpecimen"
const tampered = base45Encode(zlibCompress(cose));
writeFileSync(ex('demo-tampered.txt'), `${tampered}\n`);
writeFileSync(ex('demo-tampered.png'), await qrPng(tampered));
report.push(['demo-tampered', tampered.length]);

for (const [name, chars] of report) console.log(`${name.padEnd(18)} ${chars} Base45 characters`);
