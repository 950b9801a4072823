#!/usr/bin/env node
/**
 * Lists exports of src/ that nothing imports: not another src/ file, not a test, benchmark or script, and not the
 * package's public face (src/index.ts, whose exports count as used). An export used only inside its own file should
 * lose its `export`. Barrel re-exports (src/x/index.ts) nobody imports through are listed too.
 *   node scripts/unused-exports.mjs             fails on one not in scripts/unused-exports.pending (npm test runs it)
 *   node scripts/unused-exports.mjs --list      every one, one `file: name` line each
 *   node scripts/unused-exports.mjs --barrels   the re-exports of the folder barrels (src/x/index.ts) nobody uses
 * Uses the TypeScript compiler API (typescript is already a development dependency): imports are resolved by the
 * checker, so renames, `import type`, re-export chains and namespace imports are followed, not guessed from text.
 */
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');
const PUBLIC_FACE = path.join(SRC, 'index.ts');

function walk(dir, test) {
  return readdirSync(dir).flatMap((name) => {
    const abs = path.join(dir, name);
    if (name === 'node_modules' || name === 'build') return [];
    return statSync(abs).isDirectory() ? walk(abs, test) : test(name) ? [abs] : [];
  });
}

/** bench/ and scripts/ run against dist/: map an import of dist/x.js back to src/x.ts. */
function distToSrc(fromFile, spec) {
  if (!spec.startsWith('.')) return null;
  const abs = path.resolve(path.dirname(fromFile), spec);
  const rel = path.relative(path.join(ROOT, 'dist'), abs);
  if (rel.startsWith('..')) return null;
  return path.join(SRC, rel.replace(/\.js$/, '.ts'));
}

/** `wantBarrels`: list the re-exports of src/x/index.ts nobody imports through, instead of declarations. */
/** The path a call's argument spells with string literals: 'x', or join(anything, 'dist', 'y.js') → 'dist/y.js'. */
function literalPath(arg) {
  if (ts.isStringLiteralLike(arg)) return arg.text;
  if (ts.isCallExpression(arg) && /(^|\.)join$/.test(arg.expression.getText())) {
    const parts = arg.arguments.filter((a) => ts.isStringLiteralLike(a)).map((a) => a.text);
    return parts.length > 0 ? parts.join('/') : null;
  }
  return null;
}

/** 'dist/issue/qr.js' or 'src/bridge/codec.js' (a compiled copy of src/) → the source file. */
function compiledToSrc(spec) {
  const m = /(?:^|\/)(?:dist|src)\/(.+)\.js$/.exec(spec);
  return m ? path.join(SRC, `${m[1]}.ts`) : null;
}

export function unusedExports(wantBarrels = false) {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, 'tsconfig.test.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  const jsFiles = [
    ...walk(path.join(ROOT, 'bench'), (n) => /\.m?js$/.test(n)),
    ...walk(path.join(ROOT, 'scripts'), (n) => /\.m?js$/.test(n)),
  ];
  const program = ts.createProgram({ rootNames: config.fileNames, options: { ...config.options, noEmit: true } });
  const checker = program.getTypeChecker();
  const used = new Set();

  /** Marks a symbol and every alias between it and its declaration. */
  const mark = (symbol) => {
    let s = symbol;
    for (let i = 0; s && i < 20; i++) {
      used.add(s);
      if (!(s.flags & ts.SymbolFlags.Alias)) return;
      s = checker.getImmediateAliasedSymbol(s);
    }
  };
  const moduleOf = (file) => {
    const sf = program.getSourceFile(file);
    return sf ? checker.getSymbolAtLocation(sf) : undefined;
  };
  const markAll = (moduleSymbol) => {
    if (moduleSymbol) for (const e of checker.getExportsOfModule(moduleSymbol)) mark(e);
  };
  const isOurs = (sf) => sf?.fileName.startsWith(SRC + path.sep);

  markAll(moduleOf(PUBLIC_FACE));

  // TypeScript files (src, test, configs): resolved by the checker.
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || !sf.fileName.startsWith(ROOT + path.sep) || sf.fileName.includes('node_modules')) continue;
    const visit = (node) => {
      if (ts.isImportDeclaration(node) && node.importClause) {
        const c = node.importClause;
        if (c.name) mark(checker.getSymbolAtLocation(c.name));
        if (c.namedBindings && ts.isNamedImports(c.namedBindings))
          for (const el of c.namedBindings.elements) mark(checker.getSymbolAtLocation(el.name));
        if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) markAll(checker.getSymbolAtLocation(node.moduleSpecifier));
      } else if (
        ts.isExportDeclaration(node) &&
        node.moduleSpecifier &&
        node.exportClause &&
        ts.isNamedExports(node.exportClause) &&
        sf.fileName !== PUBLIC_FACE
      ) {
        // `export { x } from './y.js'` in a barrel: used only if someone imports x through the barrel (marked above)
      } else if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] &&
        ts.isStringLiteralLike(node.arguments[0])
      ) {
        markAll(checker.getSymbolAtLocation(node.arguments[0]));
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }

  // JavaScript benchmarks and scripts: import names by text position, resolved against src/ through dist/.
  for (const file of jsFiles) {
    const sf = ts.createSourceFile(file, ts.sys.readFile(file) ?? '', ts.ScriptTarget.Latest, true);
    const visit = (node) => {
      let spec = null;
      let names = null; // null = all
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        spec = node.moduleSpecifier.text;
        const c = node.importClause;
        if (c?.namedBindings && ts.isNamedImports(c.namedBindings))
          names = c.namedBindings.elements.map((el) => (el.propertyName ?? el.name).text);
      } else if (
        ts.isCallExpression(node) &&
        node.arguments[0] &&
        (node.expression.kind === ts.SyntaxKind.ImportKeyword || literalPath(node.arguments[0]))
      ) {
        // import('…'), import(join(root, 'dist', 'x.js')), or a loader called with 'src/x.js'
        spec = literalPath(node.arguments[0]);
        // `const { a, b } = await import('…')`
        let p = node.parent;
        if (p && ts.isAwaitExpression(p)) p = p.parent;
        if (p && ts.isVariableDeclaration(p) && ts.isObjectBindingPattern(p.name)) {
          names = p.name.elements.map((el) =>
            (el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName : el.name).getText(sf),
          );
        }
      }
      const target = spec && (distToSrc(file, spec) ?? compiledToSrc(spec));
      const moduleSymbol = target && moduleOf(target);
      if (moduleSymbol) {
        const exports = checker.getExportsOfModule(moduleSymbol);
        for (const e of exports) if (names === null || names.includes(e.name)) mark(e);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }

  const unused = [];
  for (const sf of program.getSourceFiles()) {
    if (!isOurs(sf) || sf.fileName === PUBLIC_FACE) continue;
    const moduleSymbol = checker.getSymbolAtLocation(sf);
    if (!moduleSymbol) continue;
    for (const e of checker.getExportsOfModule(moduleSymbol)) {
      if (used.has(e)) continue;
      // an alias (re-export) is used when its target is reached through it; a declaration when it is marked
      const decl = e.declarations?.[0];
      if (decl && decl.getSourceFile() !== sf && !(e.flags & ts.SymbolFlags.Alias)) continue; // `export *` passthrough
      const barrel = path.basename(sf.fileName) === 'index.ts';
      if (barrel !== wantBarrels) continue;
      // a type named in its own file's other declarations is part of a signature there: it stays exported
      if (!barrel && e.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias) && !(e.flags & ts.SymbolFlags.Value)) {
        const uses = sf.text.match(new RegExp(`\\b${e.name}\\b`, 'g'))?.length ?? 0;
        if (uses > 1) continue;
      }
      unused.push(`${path.relative(ROOT, sf.fileName)}: ${e.name}`);
    }
  }
  return unused.sort();
}

/** scripts/unused-exports.pending: known ones, waiting for work in flight on their files (the list only shrinks). */
function pending() {
  const text = ts.sys.readFile(path.join(ROOT, 'scripts/unused-exports.pending')) ?? '';
  return new Set(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const barrels = process.argv.includes('--barrels');
  const unused = unusedExports(barrels);
  if (process.argv.includes('--list') || barrels) {
    for (const line of unused) console.log(line);
    process.exit(unused.length === 0 ? 0 : 1);
  }
  const known = pending();
  const fresh = unused.filter((u) => !known.has(u));
  const done = [...known].filter((k) => !unused.includes(k));
  for (const u of fresh) console.error(`unused export: ${u} (nothing imports it: drop the export, or the code)`);
  // a pending line that no longer applies is good news, not a failure: say so, so the next commit deletes it
  for (const d of done) console.error(`unused-exports.pending: "${d}" is used now or gone: delete its line`);
  console.error(
    `unused-exports: ${fresh.length} new, ${unused.length - fresh.length} pending${done.length ? `, ${done.length} pending line(s) to delete` : ''}`,
  );
  process.exit(fresh.length === 0 ? 0 : 1);
}
