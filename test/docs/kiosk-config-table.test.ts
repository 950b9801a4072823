/**
 * docs/kiosk-config.md's "Every field" table against the zod schema in src/kiosk/config.ts: the same dotted field
 * names (both ways), the same default where the schema has one, and the same choices for enum and literal fields.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSchema } from '../../src/kiosk/config.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Field {
  /** the innermost schema: no optional / default wrapper */
  type: z.ZodType;
  default?: unknown;
  /** a literal field's values (all union members) */
  literals?: unknown[];
}

/** Dotted names of every leaf field; an array is `name[]` and its element's fields `name[].field`. */
function walk(schema: z.ZodType, prefix: string, out: Map<string, Field>): void {
  let s = schema;
  let dflt: unknown;
  let hasDefault = false;
  for (;;) {
    if (s instanceof z.ZodDefault) {
      hasDefault = true;
      dflt = s.def.defaultValue;
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    else break;
  }
  if (s instanceof z.ZodObject) {
    for (const [k, v] of Object.entries(s.shape as Record<string, z.ZodType>)) walk(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  if (s instanceof z.ZodArray) {
    out.set(`${prefix}[]`, { type: s, ...(hasDefault ? { default: dflt } : {}) });
    const el = s.element as z.ZodType;
    const options = el instanceof z.ZodDiscriminatedUnion ? (el.options as z.ZodType[]) : [el];
    for (const o of options) walk(o, `${prefix}[]`, out);
    return;
  }
  // a field seen in several union members is listed once; a discriminator's literals are merged
  const seen = out.get(prefix);
  if (seen === undefined)
    out.set(prefix, {
      type: s,
      ...(hasDefault ? { default: dflt } : {}),
      ...(s instanceof z.ZodLiteral ? { literals: [...(s.values as Set<unknown>)] } : {}),
    });
  else if (s instanceof z.ZodLiteral && seen.literals)
    for (const v of s.values as Set<unknown>) if (!seen.literals.includes(v)) seen.literals.push(v);
}

interface Row {
  name: string;
  allowed: string;
  default: string;
}

function docRows(): Row[] {
  const doc = readFileSync(path.join(ROOT, 'docs/kiosk-config.md'), 'utf8');
  const table = /## Every field\n+([\s\S]*?)\n\n/.exec(doc)?.[1];
  expect(table, 'docs/kiosk-config.md has a "## Every field" table').toBeDefined();
  return table!
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => {
      const cells = l.split(' | ').map((c) => c.replace(/^\|\s*/, '').trim());
      const name = /^`([^`]+)`/.exec(cells[0]!)![1]!.replace(/^…devices/, 'scanners.devices');
      return { name, allowed: cells[1]!, default: cells[2]! };
    });
}

const schemaFields = new Map<string, Field>();
walk(configSchema, '', schemaFields);
const rows = docRows();

describe('docs/kiosk-config.md field table', () => {
  it('names exactly the fields the schema has', () => {
    expect(rows.length).toBeGreaterThan(20);
    const docNames = rows.map((r) => r.name);
    expect(new Set(docNames).size, 'no field listed twice').toBe(docNames.length);
    expect([...docNames].sort()).toEqual([...schemaFields.keys()].sort());
  });

  it('gives the schema default for every field that has one', () => {
    const checked: string[] = [];
    for (const row of rows) {
      const f = schemaFields.get(row.name);
      if (f === undefined || !('default' in f)) continue;
      const m = /^`([^`]*)`/.exec(row.default);
      expect(m, `${row.name}: default cell "${row.default}" starts with a \`value\``).not.toBeNull();
      const doc = m![1]!;
      const want = f.default;
      if (Array.isArray(want)) expect(doc).toBe(JSON.stringify(want));
      else expect(doc, row.name).toBe(String(want));
      checked.push(row.name);
    }
    expect(checked.length).toBeGreaterThan(10);
  });

  it('lists the same choices for enum and literal fields', () => {
    const checked: string[] = [];
    for (const row of rows) {
      const f = schemaFields.get(row.name);
      if (f === undefined) continue;
      if (f.type instanceof z.ZodEnum) {
        const doc = [...row.allowed.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
        expect(doc.sort(), row.name).toEqual([...(f.type.options as string[])].sort());
        checked.push(row.name);
      } else if (f.type instanceof z.ZodLiteral) {
        const doc = row.allowed.split(',').map((v) => v.trim().replace(/^`(.*)`$/, '$1'));
        expect(doc, row.name).toEqual(f.literals!.map(String));
        checked.push(row.name);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['desk.purpose', 'displays.terminal', 'scanners.devices[].baud', 'bridges[].baud']));
  });
});
