import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { attachBridge } from '../../src/bridge/attach.js';
import { parseConfig } from '../../src/kiosk/config.js';
import { ScanHub } from '../../src/scan/hub.js';
import type { ScreenDisplay } from '../../src/screen/display.js';

function capture(): { log: ReturnType<typeof pino>; lines: () => Array<Record<string, unknown>> } {
  const out: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      out.push(chunk.toString());
      done();
    },
  });
  return { log: pino({ level: 'debug' }, sink), lines: () => out.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('the bridge in the kiosk config and wiring', () => {
  const base = { desk: { purpose: 'work' }, trust: { keys: 'keys.jwks' } };

  it('accepts a device path or auto, and 115200 or 921600 baud; refuses anything else with the field named', () => {
    const cfg = parseConfig({ ...base, bridges: [{ path: 'auto' }, { path: '/dev/ttyACM0', baud: 115200, name: 'box 2' }] });
    expect(cfg.bridges).toEqual([{ path: 'auto' }, { path: '/dev/ttyACM0', baud: 115200, name: 'box 2' }]);
    expect(() => parseConfig({ ...base, bridges: [{ path: '/dev/ttyACM0', baud: 9600 }] })).toThrow(/bridges.*baud.*115200 or 921600/s);
    expect(() => parseConfig({ ...base, bridges: [{ path: 'COM3' }] })).toThrow(/bridges.*path.*device path.*auto/s);
  });

  it('path auto with no ST-LINK attached: logs why and runs without a bridge (nothing added, nothing opened)', async () => {
    const { log, lines } = capture();
    const hub = new ScanHub();
    const displays: ScreenDisplay[] = [];
    const attached = await attachBridge({ path: 'auto' }, { hub, displays, log, onLikeness: () => undefined });
    expect(attached.bridge).toBeNull();
    expect(hub.scanners()).toHaveLength(0);
    expect(displays).toHaveLength(0);
    const warn = lines().find((l) => l.event === 'bridge-not-found');
    expect(warn).toMatchObject({ code: 'NOT_FOUND' });
    await attached.close();
  });

  it('a named path that is absent: the bridge is added and keeps trying, the kiosk is not held up', async () => {
    const { log, lines } = capture();
    const hub = new ScanHub();
    const displays: ScreenDisplay[] = [];
    const attached = await attachBridge({ path: '/dev/nonexistent-bridge', name: 'box' }, { hub, displays, log, onLikeness: () => undefined });
    expect(attached.bridge).not.toBeNull();
    expect(hub.scanners().map((s) => [s.name, s.transport])).toEqual([['box', 'bridge']]);
    expect(displays.map((d) => d.name)).toEqual(['bridge']);
    expect(lines().find((l) => l.event === 'bridge-error')).toMatchObject({ code: 'PORT_OPEN_FAILED' });
    expect(attached.bridge!.link.state).toBe('reconnecting');
    await attached.close();
    expect(attached.bridge!.link.state).toBe('disconnected');
  });
});
