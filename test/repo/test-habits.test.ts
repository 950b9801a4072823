/**
 * Habits the tests keep: no reaching into private fields (a unit gets a small public seam instead), and one shared
 * helper for an error's code (test/code-of.ts) rather than a copy per file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { expect, it } from 'vitest';

const TEST = path.resolve(import.meta.dirname, '..');
const SELF = path.relative(TEST, import.meta.filename);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const abs = path.join(dir, n);
    return statSync(abs).isDirectory() ? files(abs) : /\.(ts|mts|mjs)$/.test(n) ? [path.relative(TEST, abs)] : [];
  });
}

const sources = files(TEST)
  .filter((f) => f !== SELF)
  .map((f) => [f, readFileSync(path.join(TEST, f), 'utf8')] as const);

it('no test reads or writes a private field through Reflect', () => {
  expect(sources.filter(([, s]) => /Reflect\.(get|set)\(/.test(s)).map(([f]) => f)).toEqual([]);
});

it('codeOf is defined once, in test/code-of.ts', () => {
  const defs = sources.filter(([, s]) => /function codeOf\b|function codeOfAsync\b/.test(s)).map(([f]) => f);
  expect(defs).toEqual(['code-of.ts']);
});
