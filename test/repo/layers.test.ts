/**
 * The layers of src/ point one way. The codec (src/credential) is the bottom: it imports nothing from the layers
 * that use it, so it can be read, tested and fuzzed alone. And no cycle within src/scan (a file there that needs a
 * type of its siblings names the file that defines it, not the barrel that re-exports it). Import lines are read
 * from the source text: `import … from`, `import type … from`, `export … from`, `import('…')`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const abs = path.join(dir, n);
    return statSync(abs).isDirectory() ? files(abs) : n.endsWith('.ts') ? [abs] : [];
  });
}

/** The src/ files a file imports (relative specifiers only), as paths relative to src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = path.resolve(path.dirname(file), m[1]!.replace(/\.js$/, '.ts'));
    out.push(path.relative(SRC, target));
  }
  return out;
}

const top = (rel: string) => rel.split(path.sep)[0]!;

describe('layers', () => {
  it('src/credential imports nothing from the layers above it', () => {
    const UPWARD = new Set(['verify', 'trust', 'kiosk', 'screen', 'records', 'cli', 'check', 'central', 'bridge', 'scan', 'issue']);
    const credential = files(path.join(SRC, 'credential'));
    expect(credential.length).toBeGreaterThan(5);
    const hits = credential.flatMap((f) =>
      importsOf(f)
        .filter((t) => UPWARD.has(top(t)))
        .map((t) => `${path.relative(SRC, f)} → ${t}`),
    );
    expect(hits).toEqual([]);
  });

  it('src/errors.ts (the base every layer extends, down to the codec) imports nothing', () => {
    expect(importsOf(path.join(SRC, 'errors.ts'))).toEqual([]);
  });

  it('no import cycle within src/scan', () => {
    const scan = files(path.join(SRC, 'scan')).map((f) => path.relative(SRC, f));
    expect(scan.length).toBeGreaterThan(5);
    const edges = new Map(scan.map((f) => [f, importsOf(path.join(SRC, f)).filter((t) => top(t) === 'scan')]));
    const cycles: string[] = [];
    const done = new Set<string>();
    const visit = (f: string, trail: string[]): void => {
      const at = trail.indexOf(f);
      if (at >= 0) {
        cycles.push([...trail.slice(at), f].join(' → '));
        return;
      }
      if (done.has(f)) return;
      for (const t of edges.get(f) ?? []) visit(t, [...trail, f]);
      done.add(f);
    };
    for (const f of scan) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
