/** The XDG base folders: one rule for the trust store, the record store, the personal-copy key and the kiosk log. */
import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultDemoStoreDir, defaultKeyFile, defaultStoreDir as recordsDir } from '../../src/records/paths.js';
import { xdgHome } from '../../src/storage/paths.js';
import { defaultStoreDir as trustDir } from '../../src/trust/store.js';

const HOME = '/home/k';

describe('xdgHome', () => {
  it('takes the variable when it is an absolute path', () => {
    const env = { HOME, XDG_DATA_HOME: '/x/data', XDG_CONFIG_HOME: '/x/config', XDG_STATE_HOME: '/x/state' };
    expect(xdgHome('data', env)).toBe('/x/data');
    expect(xdgHome('config', env)).toBe('/x/config');
    expect(xdgHome('state', env)).toBe('/x/state');
  });

  it('falls back to the spec default under HOME when it is unset, empty or relative', () => {
    for (const value of [undefined, '', 'relative/data', './data']) {
      const env = { HOME, XDG_DATA_HOME: value, XDG_CONFIG_HOME: value, XDG_STATE_HOME: value };
      expect(xdgHome('data', env), String(value)).toBe('/home/k/.local/share');
      expect(xdgHome('config', env), String(value)).toBe('/home/k/.config');
      expect(xdgHome('state', env), String(value)).toBe('/home/k/.local/state');
    }
  });

  it("uses the account's home folder when HOME is unset or empty", () => {
    expect(xdgHome('data', {})).toBe(`${homedir()}/.local/share`);
    expect(xdgHome('data', { HOME: '' })).toBe(`${homedir()}/.local/share`);
  });
});

describe('each store keeps its own subfolder of the one data folder', () => {
  it.each([
    ['set', { HOME, XDG_DATA_HOME: '/x/data', XDG_CONFIG_HOME: '/x/config' }, '/x/data', '/x/config'],
    ['unset', { HOME }, '/home/k/.local/share', '/home/k/.config'],
    ['relative', { HOME, XDG_DATA_HOME: 'data', XDG_CONFIG_HOME: 'config' }, '/home/k/.local/share', '/home/k/.config'],
  ])('XDG_DATA_HOME %s', (_, env, data, config) => {
    expect(trustDir(env)).toBe(`${data}/proofdesk`);
    expect(recordsDir(env)).toBe(`${data}/proofdesk/records`);
    expect(defaultDemoStoreDir(env)).toBe(`${data}/proofdesk/demo-records`);
    expect(defaultKeyFile(env)).toBe(`${config}/proofdesk/records.key`);
  });
});
