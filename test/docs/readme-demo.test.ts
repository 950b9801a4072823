/** README's table of what the DEMO desk shows for each example code is what the DEMO desk shows. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SseClient, startTestKiosk, type TestKiosk } from '../kiosk/helpers.js';

const ROOT = path.join(import.meta.dirname, '../..');

function readmeTable(): Array<[file: string, headline: string]> {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('| code | the DEMO desk shows |');
  expect(start).toBeGreaterThan(0);
  const lines = readme.slice(start).split('\n').slice(2);
  const rows = lines.slice(
    0,
    lines.findIndex((l) => !l.startsWith('|')),
  );
  return rows.map((r) => {
    const [, file, shows] = r.split('|').map((c) => c.trim());
    return [file!.replaceAll('`', ''), shows!];
  });
}

describe('README: the DEMO desk', () => {
  let k: TestKiosk | undefined;
  afterEach(async () => {
    await k?.stop();
    k = undefined;
  });

  it('shows for each example code what README says it shows', async () => {
    const table = readmeTable();
    expect(table.length).toBeGreaterThanOrEqual(7);
    k = await startTestKiosk(); // no config: the built-in DEMO desk
    expect(k.kiosk.builtInDemo).toBe(true);
    const sse = await SseClient.open(k.kiosk.port, k.token);
    for (const [file, headline] of table) {
      const from = sse.states.length;
      k.scan(readFileSync(path.join(ROOT, 'examples', file), 'utf8'));
      const shown = await sse.waitFor((s) => s.kind === 'result', from);
      expect(`${file}: ${shown.headline}`).toBe(`${file}: ${headline}`);
      expect(shown.demo).toBe(true);
    }
    sse.close();
  });
});
