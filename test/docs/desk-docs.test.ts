/**
 * The docs say what the desk does around the verdict: where the page's link and token live, what the ready line
 * prints, where the logs and the DEMO records go, the scanner alerts and /health's fields. Each fact is read from
 * the code, so a change there fails here until the docs follow.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEADLINE } from '../../src/check/words.js';
import { deskToken } from '../../src/kiosk/page-link.js';
import { defaultDemoStoreDir } from '../../src/records/paths.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');
/** Docs wrap lines anywhere: compare with runs of white space as one space. */
const flat = (text: string): string => text.replace(/\s+/g, ' ');

describe('the desk docs', () => {
  const config = flat(read('docs/kiosk-config.md'));
  const records = flat(read('docs/records.md'));
  const hardware = flat(read('hardware/README.md'));

  it('name the link file the kiosk writes, in the record folder, and the browser that opens it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pd-docs-'));
    try {
      const linkFile = path.basename(deskToken(dir, false).file);
      expect(path.dirname(deskToken(dir, false).file)).toBe(dir);
      for (const doc of [config, records, hardware]) expect(doc).toContain(linkFile);
      expect(config).toContain("## The desk's browser");
      expect(config).toContain(`chromium --kiosk --app=file:///`);
      expect(records).toContain(`${linkFile} the status page's link with its token (mode 0600): not a record`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('give both forms of the ready line as src/cli/run.ts prints them, and --new-token', () => {
    const run = read('src/cli/run.ts');
    const serviceForm = /the page's link \(with its token\) is in/;
    expect(run).toMatch(serviceForm);
    expect(config).toMatch(/proofdesk ready: http:\/\/127\.0\.0\.1:7169\/ — the page's link \(with its token\) is in \//);
    expect(config).toContain('proofdesk ready: http://127.0.0.1:7169/?token=');
    expect(config).toContain('--new-token');
    // the token is never printed into the journal any more
    expect(hardware).not.toMatch(/token go(es)? to the journal/);
    expect(config).not.toMatch(/token go(es)? to the journal|\(it goes to the journal\)/);
  });

  it('say where the logs go on a terminal, as src/kiosk/logs.ts does', () => {
    const logs = read('src/kiosk/logs.ts');
    expect(logs).toContain("path.join(xdgHome('state', env), 'proofdesk', 'kiosk.log')");
    expect(logs).toContain('const ROTATE_AT_BYTES = 8 * 1024 * 1024;');
    expect(config).toContain('`$XDG_STATE_HOME/proofdesk/kiosk.log`');
    expect(config).toContain('8 MiB');
  });

  it("name the DEMO desk's own record folder", () => {
    const demo = defaultDemoStoreDir({ XDG_DATA_HOME: '/X' }).replace('/X', '$XDG_DATA_HOME');
    expect(config).toContain(demo);
    expect(records).toContain(demo);
  });

  it("give the scanner alerts' words and every field of /health", () => {
    expect(config).toContain(`**${HEADLINE.NO_SCANNER}: NAME**`);
    expect(config).toContain(`headline is **${HEADLINE.NO_SCANNER}**`);
    const kiosk = flat(read('src/kiosk/scanners.ts'));
    for (const words of ['No scanner is connected: no code can be scanned.', 'No scanner is set up on this desk']) {
      expect(kiosk).toContain(words);
      expect(config).toContain(words);
    }
    const server = read('src/screen/web/server.ts');
    const report = /export interface HealthReport \{([\s\S]*?)\n\}/.exec(server)?.[1] ?? '';
    const fields = [...report.matchAll(/^\s+(\w+)\??:/gm)].map((m) => m[1]!);
    expect(fields).toEqual(expect.arrayContaining(['ok', 'problems', 'scanners', 'counters']));
    const section = config.slice(config.indexOf("## The desk's own state"));
    for (const f of fields) expect(section).toContain(`\`${f}\``);
    const counters = /counters: DeskCounters = \{([^}]*)\}/.exec(read('src/kiosk/desk.ts'))?.[1] ?? '';
    const names = [...counters.matchAll(/(\w+):/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(3);
    for (const n of names) expect(section).toContain(`\`${n}\``);
  });

  it("README mentions the page's keys and desk.askFor", () => {
    const readme = flat(read('README.md'));
    expect(readme).toContain('press Y, N or X on the page');
    expect(readme).toContain('desk.askFor');
  });
});
