/**
 * README's "Where things are" names every folder (and top-level file) of src/, and nothing that is not there: the map
 * a newcomer reads first stays the tree.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe("README's map of the tree", () => {
  const section = /## Where things are\n([\s\S]*?)(?:\n## |$)/.exec(README)?.[1] ?? '';
  const named = [...section.matchAll(/`((?:src|sql|firmware-bridge|hardware)\/[^`]*)`/g)].map((m) => m[1]!.replace(/\/$/, ''));

  it('names every folder and file directly under src/', () => {
    expect(section.length).toBeGreaterThan(0);
    for (const entry of readdirSync(join(ROOT, 'src'))) expect(named, `src/${entry}`).toContain(`src/${entry}`);
  });

  it('names nothing that does not exist', () => {
    for (const p of named) expect(existsSync(join(ROOT, p)), p).toBe(true);
  });
});
