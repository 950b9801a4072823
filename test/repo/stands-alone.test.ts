/**
 * The repository stands alone: no code, comment or doc points at files outside it (a sibling `shared` folder) or at
 * tracker issue numbers, which no reader of the repository has.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TOP = [
  'src',
  'docs',
  'test',
  'bench',
  'scripts',
  'hardware',
  'firmware-bridge',
  'examples',
  '.ci',
  'README.md',
  'BENCHMARKS.md',
  'package.json',
];
const SKIP = new Set(['node_modules', 'build', 'dist']);
const TEXT = /\.(ts|mts|js|mjs|cjs|json|md|c|h|ld|yaml|yml|rules|service|timer|conf|sysusers|txt|svg|sh|mk)$|^(Makefile|run)$/;

function files(rel: string): string[] {
  const abs = path.join(ROOT, rel);
  if (!statSync(abs).isDirectory()) return [rel];
  return readdirSync(abs)
    .filter((n) => !SKIP.has(n))
    .flatMap((n) => files(path.join(rel, n)));
}

// Built from parts so this file does not match itself.
const SIBLING = new RegExp(['\\.\\./', 'shared', '\\b|\\bshared/(facts|conformance|design|hooks)\\b'].join(''));
const ISSUE_NO = new RegExp(['\\bissue', 's?\\s*#?\\d+\\b'].join(''), 'i');

it('no file points at a sibling shared folder or at an issue number', () => {
  const all = TOP.flatMap(files).filter((f) => TEXT.test(path.basename(f)));
  expect(all.length).toBeGreaterThan(300);
  const hits: string[] = [];
  for (const file of all) {
    readFileSync(path.join(ROOT, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (SIBLING.test(line) || ISSUE_NO.test(line)) hits.push(`${file}:${i + 1}: ${line.trim().slice(0, 120)}`);
      });
  }
  expect(hits).toEqual([]);
});
