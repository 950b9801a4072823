/**
 * docs/central.md against the real thing: the reporting views' columns it lists are the columns a freshly initialised
 * database has (information_schema, in order, both ways), and the `records.central` keys it names and its desk config
 * example are the zod schema's (src/kiosk/config.ts). docs/kiosk-config.md's table of every key is held to the schema
 * by test/docs/kiosk-config-table.test.ts.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CentralPool } from '../../src/central/connect.js';
import { configSchema, parseConfig } from '../../src/kiosk/config.js';
import { freshDatabase, ROOT } from './helpers.js';
import { guardPostgres, startPostgres, type PgServer } from './pg-server.js';

const missing = guardPostgres();
const DOC = readFileSync(path.join(ROOT, 'docs/central.md'), 'utf8');

/** The column list docs/central.md gives for a view: the first `…` after "- `VIEW`:", split at commas. */
function documentedColumns(view: string): string[] {
  const section = /## Reporting views[^\n]*\n([\s\S]*?)\n## /.exec(DOC)?.[1];
  expect(section, 'docs/central.md has a "## Reporting views" section').toBeDefined();
  const m = new RegExp(`^- \`${view}\`:[^\`]*\`([^\`]+)\``, 'm').exec(section!);
  expect(m, `docs/central.md lists the columns of ${view}`).not.toBeNull();
  return m![1]!.split(',').map((c) => c.trim());
}

function unwrap(s: z.ZodType): z.ZodType {
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    else return s;
  }
}

/** Dotted names of the leaf fields of an object schema. */
function leaves(s: z.ZodType, prefix = ''): string[] {
  const o = unwrap(s);
  if (!(o instanceof z.ZodObject)) return [prefix];
  return Object.entries(o.shape as Record<string, z.ZodType>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

function child(s: z.ZodType, key: string): z.ZodType {
  const o = unwrap(s);
  if (!(o instanceof z.ZodObject)) throw new Error(`not an object at ${key}`);
  return (o.shape as Record<string, z.ZodType>)[key]!;
}

describe.skipIf(missing !== null)(`docs/central.md's reporting views${missing ? ` (SKIPPED: ${missing})` : ''}`, () => {
  let pg: PgServer;
  let owner: CentralPool;

  beforeAll(async () => {
    pg = await startPostgres();
    ({ owner } = await freshDatabase(pg));
  }, 120_000);

  afterAll(async () => {
    await owner?.close();
    await pg?.remove();
  });

  for (const view of ['proofdesk_checks', 'proofdesk_entries']) {
    it(`${view}: the documented columns are the view's, in its order`, async () => {
      const real = (
        await owner.query<{ column_name: string }>(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
          [view],
        )
      ).map((r) => r.column_name);
      expect(real.length, `${view} exists`).toBeGreaterThan(5);
      const doc = documentedColumns(view);
      expect(
        doc.filter((c) => !real.includes(c)),
        'documented but not in the view',
      ).toEqual([]);
      expect(
        real.filter((c) => !doc.includes(c)),
        'in the view but not documented',
      ).toEqual([]);
      expect(doc).toEqual(real);
    });
  }
});

describe("docs/central.md's records.central keys", () => {
  const central = child(child(configSchema, 'records'), 'central');
  const schemaKeys = leaves(central);

  it('every key it names is in the schema, and the desk config example is a valid config', () => {
    const yamlBlock = /5\. \*\*Each desk's config\*\*[\s\S]*?```yaml\n([\s\S]*?)```\s*\n([\s\S]*?)\n\n/.exec(DOC);
    expect(yamlBlock, 'docs/central.md has the desk config example').not.toBeNull();
    const example = parseYaml(yamlBlock![1]!.replace(/^ {3}/gm, '')) as { records: { central: unknown } };
    const exampleKeys = leaves(
      z.object(
        Object.fromEntries(
          Object.entries(example.records.central as Record<string, unknown>).map(([k, v]) => [
            k,
            v !== null && typeof v === 'object' ? z.object(Object.fromEntries(Object.keys(v).map((kk) => [kk, z.string()]))) : z.string(),
          ]),
        ),
      ),
    );
    // the names in the prose: `records.central.x`, and the camelCase keys in the paragraph after the example
    const prose = [
      ...[...DOC.matchAll(/`records\.central\.([A-Za-z.]+)`/g)].map((m) => m[1]!),
      ...[...yamlBlock![2]!.matchAll(/`([a-z]+[A-Z][A-Za-z]*)`/g)].map((m) => m[1]!),
    ];
    expect(prose).toEqual(expect.arrayContaining(['recordsKey', 'trustDir', 'trustPollSeconds']));
    for (const k of [...exampleKeys, ...prose]) expect(schemaKeys, `records.central.${k} in docs/central.md`).toContain(k);
    // the example, with the trust store a central desk needs, is a config the kiosk accepts
    const cfg = parseConfig({ ...(example as object), trust: { store: '/etc/proofdesk/trust' } });
    expect(cfg.records.central).toMatchObject({ url: 'postgres://leeds-front-1@db.example/proofdesk', trustPollSeconds: 30 });
  });

  it("the trustPollSeconds range and default it gives are the schema's", () => {
    const m = /`trustPollSeconds` \((\d+)–(\d+), default (\d+)\)/.exec(DOC);
    expect(m, 'docs/central.md gives trustPollSeconds as (MIN–MAX, default D)').not.toBeNull();
    const [, min, max, dflt] = m!.map(Number);
    const poll = child(central, 'trustPollSeconds');
    expect(poll.safeParse(undefined)).toMatchObject({ success: true, data: dflt });
    expect(poll.safeParse(min).success && poll.safeParse(max).success).toBe(true);
    expect(poll.safeParse(min! - 1).success || poll.safeParse(max! + 1).success).toBe(false);
  });
});
