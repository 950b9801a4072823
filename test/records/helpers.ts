import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { credentialSha256, type NewCheck, type PersonalCopy } from '../../src/records/index.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofdesk-records-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The demo credential from examples/ when it exists; otherwise a Base45-alphabet string of realistic length. */
export function credentialText(): string {
  const demo = path.join(ROOT, 'examples', 'demo-valid.txt');
  if (fs.existsSync(demo)) return fs.readFileSync(demo, 'utf8').trim();
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
  let s = 'NCFOXN%TSMAHN-H';
  for (let i = 0; s.length < 1400; i++) s += alphabet[(i * 7 + (i >> 3)) % alphabet.length];
  return s;
}

export function newCheck(checkId: string, at: string, text = credentialText()): NewCheck {
  return {
    checkId,
    at,
    purpose: 'rent',
    verdict: 'VALID',
    reason: null,
    kid: 'demo-2026',
    credentialSha256: credentialSha256(text),
    followUpDate: null,
  };
}

/** A small JPEG with noise, so its bytes are distinctive enough to search for on disk. */
export async function photoJpeg(): Promise<Uint8Array> {
  const w = 60;
  const h = 80;
  const raw = Buffer.alloc(w * h * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 131 + (i >> 5) * 17) & 0xff;
  return new Uint8Array(
    await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer(),
  );
}

export async function personalCopy(text = credentialText()): Promise<PersonalCopy> {
  return {
    credentialText: text,
    fullName: 'Zofia Kowalczyk-Brennan',
    dateOfBirth: '1988-04-17',
    photo: { data: await photoJpeg(), subFormat: 1 },
    statusSummary: 'EU Settlement Scheme: settled status',
    rightChecked: 'Right to rent: yes',
  };
}

export function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/**
 * The CLI and the crash-test child run the compiled code. Rebuild dist when it is missing or older than
 * the sources (tsc still emits when other areas have type errors).
 */
export function ensureBuilt(): void {
  const outputs = ['dist/cli/main.js', 'dist/cli/records.js', 'dist/records/index.js'].map((p) => path.join(ROOT, p));
  const sources = [
    path.join(ROOT, 'src/cli/records.ts'),
    path.join(ROOT, 'src/cli/main.ts'),
    ...fs.readdirSync(path.join(ROOT, 'src/records')).map((f) => path.join(ROOT, 'src/records', f)),
  ];
  const newestSource = Math.max(...sources.map((s) => fs.statSync(s).mtimeMs));
  const fresh = outputs.every((o) => fs.existsSync(o) && fs.statSync(o).mtimeMs >= newestSource);
  if (fresh) return;
  spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.json')], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  for (const o of outputs) if (!fs.existsSync(o)) throw new Error(`build did not produce ${o}; run npm run build and read its errors`);
}
