/**
 * The command lines in README.md ("Command line") and in docs/ and hardware/ against the real commander
 * definitions (src/cli/*.ts, registered in-process as src/cli/main.ts does): every command and subcommand is
 * listed in README, every option a doc writes exists on that command, and README lists every option of each
 * command (status-list excepted: README points to docs/trust.md, whose table is checked like any doc).
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const GROUPS = ['bridge', 'central', 'inspect', 'issue', 'keys', 'records', 'run', 'scanners', 'status-list', 'trust', 'verify'];

/** 'run' → its long options; 'trust init' → … */
async function commandOptions(): Promise<Map<string, Set<string>>> {
  const program = new Command('proofdesk');
  for (const g of GROUPS) {
    const mod = (await import(`../../src/cli/${g}.ts`)) as { register(p: Command): void };
    mod.register(program);
  }
  const out = new Map<string, Set<string>>();
  const add = (name: string, cmd: Command) =>
    out.set(name, new Set(cmd.options.map((o) => o.long).filter((l): l is string => l !== undefined)));
  // Leaves only, at any depth ('central keys generate').
  const walk = (name: string, cmd: Command) => {
    const subs = cmd.commands.filter((c) => c.name() !== 'help');
    if (subs.length === 0) add(name, cmd);
    for (const sub of subs) walk(`${name} ${sub.name()}`, sub);
  };
  for (const cmd of program.commands) walk(cmd.name(), cmd);
  return out;
}

const FLAG = /(?<![\w-])--[a-z][a-z0-9-]*/g;

/**
 * Resolves `proofdesk GROUP [SUB|SUB…] [SUB2|SUB2…]` into the command names it covers, or null if GROUP is not a
 * command. SUB2 counts only where GROUP SUB has subcommands of its own ('central keys generate').
 */
function namesOf(group: string, subs: string | undefined, known: Map<string, Set<string>>, subs2?: string): string[] | null {
  if (known.has(group)) return [group];
  if (![...known.keys()].some((k) => k.startsWith(`${group} `))) return null;
  const alts = (s: string | undefined) => (s ?? '').split(/\\?\|/).filter(Boolean);
  return alts(subs).flatMap((s) => {
    const name = `${group} ${s}`;
    if (known.has(name) || ![...known.keys()].some((k) => k.startsWith(`${name} `))) return [name];
    return alts(subs2).map((t) => `${name} ${t}`);
  });
}

/** README's command block: one entry per `proofdesk …` line, with its indented continuation lines. */
function readmeEntries(): Array<{ line: string; text: string }> {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /## Command line[^\n]*\n+```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block, 'README.md has a "## Command line" sh block').toBeDefined();
  const entries: Array<{ line: string; text: string }> = [];
  for (const raw of block!.split('\n')) {
    const code = raw.replace(/\s#.*$/, '');
    if (raw.startsWith('proofdesk ')) entries.push({ line: raw, text: code });
    else if (/^\s+[[(-]/.test(raw) && entries.length > 0) entries[entries.length - 1]!.text += ` ${code.trim()}`;
  }
  return entries;
}

const known = await commandOptions();

describe('README.md command line', () => {
  const entries = readmeEntries();
  const covered = new Map<string, string>();
  for (const e of entries) {
    const m = /^proofdesk ([a-z-]+)(?: ([a-z|]+))?(?: ([a-z|]+))?/.exec(e.text)!;
    for (const name of namesOf(m[1]!, m[2], known, m[3]) ?? []) covered.set(name, e.text);
  }

  it('lists every command and subcommand', () => {
    expect([...known.keys()].filter((k) => !covered.has(k))).toEqual([]);
  });

  it('writes only options the command has', () => {
    const wrong: string[] = [];
    for (const [name, text] of covered) for (const f of text.match(FLAG) ?? []) if (!known.get(name)?.has(f)) wrong.push(`${name}: ${f}`);
    expect(wrong).toEqual([]);
  });

  it('writes every option of each command (status-list: see docs/trust.md)', () => {
    const missing: string[] = [];
    for (const [name, opts] of known) {
      if (name.startsWith('status-list ')) continue;
      const flags = new Set(covered.get(name)?.match(FLAG) ?? []);
      for (const o of opts) if (o !== '--help' && !flags.has(o)) missing.push(`${name}: ${o}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('command examples in docs/ and hardware/', () => {
  it('use only options the command has', () => {
    const files = [
      ...readdirSync(path.join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
      ...readdirSync(path.join(ROOT, 'hardware'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `hardware/${f}`),
      'README.md',
    ];
    const wrong: string[] = [];
    let seen = 0;
    for (const file of files) {
      readFileSync(path.join(ROOT, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const m of line.matchAll(/proofdesk ([a-z-]+)(?: ((?:[a-z]+(?:\\?\|))*[a-z]+))?([^`\n]*)/g)) {
            const names = namesOf(m[1]!, m[2], known, /^ ((?:[a-z]+(?:\\?\|))*[a-z]+)/.exec(m[3]!)?.[1]);
            if (names === null || names.length === 0) continue;
            const rest = m[3]!.replace(/\s#.*$/, ''); // up to a comment, or the closing backtick of inline code
            for (const name of names) {
              if (!known.has(name)) {
                wrong.push(`${file}:${i + 1}: no command "${name}"`);
                continue;
              }
              seen++;
              for (const f of rest.match(FLAG) ?? []) if (!known.get(name)!.has(f)) wrong.push(`${file}:${i + 1}: ${name} has no ${f}`);
            }
          }
        });
    }
    expect(seen).toBeGreaterThan(40);
    expect(wrong).toEqual([]);
  });
});
