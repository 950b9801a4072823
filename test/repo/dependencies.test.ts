/**
 * Nothing in package.json that nothing imports: every runtime dependency is imported by src/, every development
 * dependency by the tests, benchmarks or scripts (type packages and the tools npm runs are named below).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Used without an import: compilers, runners and type packages. */
const TOOLS: Record<string, string> = {
  typescript: 'npm run build / typecheck (tsc)',
  '@biomejs/biome': 'npm run lint (biome ci: format and lint)',
  '@types/node': 'types for tsc',
  '@types/qrcode': 'types for tsc',
  '@types/pg': 'types for tsc',
};

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sources(rel);
    return /\.(ts|mts|js|mjs|cjs)$/.test(name) ? [rel] : [];
  });
}

/** Package names a file imports: `from 'x'`, `import('x')`, `require('x')`, `import 'x'` (subpaths folded). */
function importsOf(files: string[]): Set<string> {
  const found = new Set<string>();
  for (const file of files) {
    // comments out first (a doc comment may show `import … from 'proofdesk'`); a `//` inside a string only cuts that line
    const text = readFileSync(path.join(ROOT, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
    for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)['"]([^'"./][^'"]*)['"]/g)) {
      const spec = m[1]!;
      if (spec.startsWith('node:')) continue;
      found.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  }
  return found;
}

describe('package.json', () => {
  const runtime = importsOf(sources('src'));
  const dev = importsOf([...sources('test'), ...sources('bench'), ...sources('scripts'), 'vitest.config.ts', 'vitest.firmware.config.ts']);

  it('every dependency is imported by src/', () => {
    expect(Object.keys(pkg.dependencies).filter((d) => !runtime.has(d))).toEqual([]);
  });

  it('every development dependency is imported by the tests, benchmarks or scripts, or is a named tool', () => {
    expect(Object.keys(pkg.devDependencies).filter((d) => !dev.has(d) && !(d in TOOLS))).toEqual([]);
  });

  it('src/ imports only what package.json lists as a dependency', () => {
    expect([...runtime].filter((d) => !(d in pkg.dependencies)).sort()).toEqual([]);
  });
});
