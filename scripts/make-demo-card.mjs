#!/usr/bin/env node
/**
 * Makes examples/demo-card.pdf (the DEMO holder's paper card, through the real CLI), examples/demo-card.txt (its code)
 * and examples/demo-card.png (its page rendered by pdftoppm at 100 dpi, for reading without a PDF viewer). Run after
 * `npm run build`:
 *   node scripts/make-demo-card.mjs
 * The other demo codes are made by make-examples.mjs; this script leaves them alone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ex = (...p) => join(root, 'examples', ...p);
const cli = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(cli)) {
  console.error('make-demo-card: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
const at = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000).toISOString(); // today, 00:00 UTC
const out = execFileSync(
  process.execPath,
  [
    cli,
    'issue',
    '--holder',
    ex('holder.json'),
    '--photo',
    ex('demo-face.jpg'),
    '--key',
    ex('demo-issuer.private.jwk'),
    '--card',
    ex('demo-card.pdf'),
    '--out',
    ex('demo-card.txt'),
    '--at',
    at,
  ],
  { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
);
process.stdout.write(out);
execFileSync('pdftoppm', ['-r', '100', '-png', '-singlefile', ex('demo-card.pdf'), ex('demo-card.tmp')]);
renameSync(ex('demo-card.tmp.png'), ex('demo-card.png'));
console.log('wrote examples/demo-card.pdf, .txt and .png');
