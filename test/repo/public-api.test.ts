/**
 * The public surface is the documented surface: every name src/index.ts exports (values and types, `export type *`
 * included) is in README's "Library API" table, and every name the table, the bullets and the example there name
 * as an export is exported. The exports are read with the TypeScript checker, so re-exports, aliases (`as`) and
 * `export type *` count as the package's consumers see them.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const INDEX = path.join(ROOT, 'src', 'index.ts');

function exportedNames(): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => {},
    },
  );
  if (!config) throw new Error('tsconfig.json unreadable');
  const program = ts.createProgram({ rootNames: [INDEX], options: { ...config.options, noEmit: true } });
  const source = program.getSourceFile(INDEX);
  const checker = program.getTypeChecker();
  const mod = source && checker.getSymbolAtLocation(source);
  if (!mod) throw new Error('src/index.ts has no module symbol');
  return checker.getExportsOfModule(mod).map((s) => s.getName());
}

/** README's "## Library API" section, up to the next heading of its level. */
function apiSection(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Library API\n');
  expect(start, 'README.md has a "## Library API" section').toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
/** `name`, `name(…) → …` or `new name(…)`: the identifier a backticked span begins with. */
const leadingName = (span: string): string | null => /^(?:new\s+)?([A-Za-z_$][\w$]*)/.exec(span)?.[1] ?? null;

/** The names in the first column of the exports table. */
function tableNames(section: string): string[] {
  const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---') && !l.startsWith('| exports '));
  expect(rows.length, 'the Library API section has an exports table').toBeGreaterThan(3);
  return rows.flatMap((row) => [...(row.split(' | ')[0] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!)).filter((n) => IDENT.test(n));
}

/** The names the rest of the section uses as exports: the example's import list and the bullets' leading names. */
function proseNames(section: string): string[] {
  const imports = [...section.matchAll(/import\s*\{([^}]*)\}\s*from\s*'proofdesk'/g)].flatMap((m) =>
    m[1]!.split(',').map((n) => n.replace(/^\s*type\s+/, '').trim()),
  );
  const bullets = section
    .split('\n')
    .filter((l) => l.startsWith('- `'))
    .flatMap((l) => [...l.matchAll(/^- `([^`]+)`(?:\s*\/\s*`([^`]+)`)?/g)].flatMap((m) => [m[1], m[2]]))
    .filter((s): s is string => s !== undefined)
    .map(leadingName)
    .filter((n): n is string => n !== null);
  return [...imports, ...bullets].filter((n) => n.length > 0);
}

describe('public surface = documented surface', () => {
  const exported = exportedNames();
  const section = apiSection();
  const table = tableNames(section);

  it('reads a real surface', () => {
    expect(exported).toEqual(expect.arrayContaining(['verify', 'inspect', 'loadKeySet', 'Verdict', 'Identity', 'ProofdeskError']));
  });

  it("every export of src/index.ts is in README's exports table", () => {
    expect(exported.filter((n) => !table.includes(n)).sort()).toEqual([]);
  });

  it('every name the table lists is exported, once', () => {
    expect(table.filter((n) => !exported.includes(n))).toEqual([]);
    expect(table.filter((n, i) => table.indexOf(n) !== i)).toEqual([]);
  });

  it("every name README's example and bullets use as an export is exported", () => {
    const prose = proseNames(section);
    expect(prose).toEqual(expect.arrayContaining(['loadKeySet', 'verify', 'inspect', 'toJson', 'decodedToJson', 'ProofdeskError']));
    expect(prose.filter((n) => !exported.includes(n))).toEqual([]);
  });
});
