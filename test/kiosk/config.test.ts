/** The kiosk config: docs/kiosk-config.md's example loads and validates; every error names the field and what is allowed. */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_PORT, loadConfig, parseConfig } from '../../src/kiosk/config.js';
import { ROOT, tempDir } from './helpers.js';

const temps: Array<{ remove(): void }> = [];
afterEach(() =>
  temps.splice(0).forEach((t) => {
    t.remove();
  }),
);

function write(name: string, text: string): string {
  const t = tempDir('config');
  temps.push(t);
  const file = path.join(t.dir, name);
  writeFileSync(file, text);
  return file;
}

function errorOf(raw: unknown): string {
  try {
    parseConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('config was accepted');
}

const minimal = { desk: { purpose: 'work' }, trust: { keys: 'k.jwks' } };

describe('kiosk config', () => {
  it('the example in docs/kiosk-config.md loads and validates, every documented section present', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/kiosk-config.md'), 'utf8');
    const yaml = /## Example[^\n]*\n+```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(yaml).toBeDefined();
    const cfg = loadConfig(write('kiosk.yaml', yaml!));
    expect(cfg.desk).toEqual({
      id: 'lettings-front-desk',
      purpose: 'rent',
      askFor: ['checkerName', 'reference'],
      referenceLabel: 'Tenancy reference',
    });
    expect(cfg.trust).toMatchObject({ store: '/var/lib/proofdesk', keys: undefined, skewSeconds: 300, maxStatusAgeDays: 7 });
    expect(cfg.scanners.devices).toEqual([
      { type: 'serial', path: '/dev/ttyACM0', eol: 'cr' },
      { type: 'hid-keyboard', path: '/dev/hidraw2', layout: 'uk', suffix: 'enter' },
    ]);
    expect(cfg.scanners.stdin).toBe(false);
    expect(cfg.bridges).toEqual([{ path: '/dev/ttyUSB0', name: 'counter box' }]);
    expect(cfg.displays).toEqual({ web: { enabled: true, port: 7169 }, terminal: 'off' });
    expect(cfg.screen.clearAfterSeconds).toBe(30);
    expect(cfg.screen.worth).toMatch(/^Supporting evidence only\. For a statutory excuse/);
    expect(cfg.records).toEqual({
      dir: '/var/lib/proofdesk/records',
      retentionDays: 1100,
      personalCopy: { keyFile: '/etc/proofdesk/records.key' },
    });
    // Every field in the doc's table is a field the schema knows (and vice versa for top-level sections).
    for (const section of ['desk', 'trust', 'scanners', 'bridges', 'displays', 'screen', 'records']) expect(doc).toContain(`\`${section}`);
  });

  it('applies documented defaults and resolves relative paths against the config folder', () => {
    const file = write('k.json', JSON.stringify({ ...minimal, records: { dir: 'recs' } }));
    const cfg = loadConfig(file);
    expect(cfg.trust.keys).toBe(path.join(path.dirname(file), 'k.jwks'));
    expect(cfg.records.dir).toBe(path.join(path.dirname(file), 'recs'));
    expect(cfg.displays.web.port).toBe(DEFAULT_PORT);
    expect(DEFAULT_PORT).toBe(7169);
    expect(cfg.screen.clearAfterSeconds).toBe(30);
    expect(cfg.desk.id).toBe('desk');
  });

  it.each([
    [{}, /^desk: required \(desk\.purpose: one of work, rent, housing, any\)$/m],
    [{ desk: { purpose: 'work' } }, /^trust: required/m],
    [{ ...minimal, desk: { purpose: 'shop' } }, /^desk\.purpose: .*"work"\|"rent"\|"housing"\|"any"/m],
    [{ ...minimal, trust: {} }, /^trust: give exactly one of trust\.keys .* or trust\.store/m],
    [{ ...minimal, trust: { keys: 'a', store: 'b' } }, /^trust: give exactly one/m],
    [{ ...minimal, displays: { web: { port: 80 } } }, /^displays\.web\.port: .*>=1024/m],
    [{ ...minimal, displays: { terminal: 'yes' } }, /^displays\.terminal: .*"auto"\|"on"\|"off"/m],
    [{ ...minimal, screen: { clearAfterSeconds: 1 } }, /^screen\.clearAfterSeconds: .*>=3/m],
    [
      { ...minimal, scanners: { devices: [{ type: 'usb' }] } },
      /^scanners\.devices\[0\]\.type: type must be one of "serial", "hid-pos", "hid-keyboard"/m,
    ],
    [
      { ...minimal, scanners: { devices: [{ type: 'serial', path: '/dev/ttyS0', baud: 1234 }] } },
      /^scanners\.devices\[0\]\.baud: must be one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200$/m,
    ],
    [
      { ...minimal, scanners: { devices: [{ type: 'serial', path: 'COM3' }] } },
      /^scanners\.devices\[0\]\.path: must be a device path such as \/dev\/ttyACM0$/m,
    ],
    [{ ...minimal, desk: { purpose: 'work', colour: 'blue' } }, /^desk: unknown field "colour"/m],
    [{ ...minimal, extra: 1 }, /^\(top level\): unknown field "extra"/m],
    [{ ...minimal, records: { retentionDays: 0 } }, /^records\.retentionDays: .*>=1/m],
  ])('names the field and what is allowed: %j', (raw, message) => {
    expect(errorOf(raw)).toMatch(message);
  });

  it('desk.askFor: the details the page asks for, only with a personal copy to keep them in', () => {
    expect(parseConfig(minimal).desk.askFor).toEqual([]);
    expect(errorOf({ ...minimal, desk: { purpose: 'work', askFor: ['checkerName'] } })).toMatch(
      /^desk\.askFor: .*records\.personalCopy\.keyFile/,
    );
    const withCopy = { ...minimal, records: { personalCopy: { keyFile: 'r.key' } } };
    expect(
      parseConfig({ ...withCopy, desk: { purpose: 'work', askFor: ['reference', 'checkerName'], referenceLabel: 'Employee number' } }).desk,
    ).toMatchObject({ askFor: ['reference', 'checkerName'], referenceLabel: 'Employee number' });
    expect(errorOf({ ...withCopy, desk: { purpose: 'work', askFor: ['email'] } })).toMatch(/desk\.askFor\[0\]/);
    expect(errorOf({ ...withCopy, desk: { purpose: 'work', askFor: ['reference', 'reference'] } })).toMatch(
      /desk\.askFor: lists a field twice/,
    );
    expect(errorOf({ ...withCopy, desk: { purpose: 'work', referenceLabel: 'a\nb' } })).toMatch(/desk\.referenceLabel/);
  });

  it('reports every problem at once, one per line', () => {
    const msg = errorOf({ desk: { purpose: 'x' }, trust: {}, screen: { clearAfterSeconds: 0 } });
    expect(msg.split('\n')).toHaveLength(3);
  });

  it('unreadable and malformed files are ConfigErrors with a code', () => {
    expect(() => loadConfig('/nonexistent/kiosk.yaml')).toThrow(expect.objectContaining({ code: 'CONFIG_UNREADABLE' }));
    expect(() => loadConfig(write('bad.yaml', 'desk: [unclosed'))).toThrow(expect.objectContaining({ code: 'CONFIG_SYNTAX' }));
    expect(() => loadConfig(write('bad.json', '{"desk": {"purpose": "work"}, "trust": {"keys": 1}}'))).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
