/**
 * firmware-bridge/PORTING.md against the core it describes: every bridge_port callback and every bridge_* entry point
 * of core/bridge.h is there, with the limits proto.h and buttons.h compile in; the stm32f4 port's own sources sit in
 * small files and reach core/ and boards/ through the include path, never by a relative path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const FW = new URL('../../firmware-bridge/', import.meta.url);
const read = (rel: string) => readFileSync(new URL(rel, FW), 'utf8');
const define = (src: string, name: string): number => Number(new RegExp(`^#define ${name} (\\d+)u?\\b`, 'm').exec(src)?.[1]);

describe('firmware-bridge/PORTING.md', () => {
  const doc = read('PORTING.md');
  const bridgeH = read('core/bridge.h');

  it('names every member of struct bridge_port and of the panel bus', () => {
    const port = /struct bridge_port \{([\s\S]*?)\};/.exec(bridgeH)![1]!;
    const members = [...port.matchAll(/\(\*(\w+)\)/g)].map((m) => m[1]!);
    expect(members).toEqual(['host_write', 'leds', 'buzzer', 'scanner_baud', 'screen_done']);
    const bus = /struct panel_bus \{([\s\S]*?)\};/.exec(read('core/ili9341.h'))![1]!;
    const busMembers = [...bus.matchAll(/\(\*(\w+)\)/g)].map((m) => `panel.${m[1]!}`);
    expect(busMembers.length).toBe(5);
    for (const m of [...members, ...busMembers]) expect(doc, m).toContain(`\`${m}(ctx`);
  });

  it('tells the port when to call every bridge_* function', () => {
    const fns = [...bridgeH.matchAll(/^void (bridge_\w+)\(/gm)].map((m) => m[1]!);
    expect(fns.length).toBeGreaterThanOrEqual(7);
    for (const f of fns) expect(doc, f).toContain(`\`${f}(&bridge`);
  });

  it('states the window, the debounce and the stm32f4 buffer sizes the code has', () => {
    const proto = read('core/proto.h');
    expect(doc).toContain(`\`WINDOW_BYTES\` = ${define(proto, 'WINDOW_BYTES')} bytes`);
    expect(doc).toContain(`\`DEBOUNCE_MS\` = ${define(read('core/buttons.h'), 'DEBOUNCE_MS')} ms`);
    const usart = read('ports/stm32f4/usart.c');
    expect(doc).toContain(`an ${define(usart, 'HOST_RING')}-byte interrupt-fed ring`);
    expect(doc).toContain(`a ${define(usart, 'SCANNER_RING')}-byte ring`);
    expect(define(usart, 'HOST_RING')).toBeGreaterThanOrEqual(2 * define(proto, 'WINDOW_BYTES'));
  });
});

describe('the stm32f4 port', () => {
  const dir = new URL('ports/stm32f4/', FW);
  const files = readdirSync(dir).filter((f) => /\.[ch]$/.test(f));

  it('is small files, none a grab bag (under 120 lines each)', () => {
    const long = files.map((f) => [f, readFileSync(new URL(f, dir), 'utf8').split('\n').length] as const).filter(([, n]) => n > 120);
    expect(long).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['main.c', 'sysclock.c', 'usart.c', 'ring.c', 'spi_panel.c', 'pins.c']));
  });

  it("every firmware source includes core/ and boards/ through -I, not by a relative path; the version text is proto.h's", () => {
    const all = ['core', 'ports/stm32f4', 'ports/posix', 'test'].flatMap((d) =>
      readdirSync(new URL(`${d}/`, FW))
        .filter((f) => /\.[ch]$/.test(f))
        .map((f) => [`${d}/${f}`, read(`${d}/${f}`)] as const),
    );
    expect(all.filter(([, src]) => /#include "\.\.\//.test(src)).map(([f]) => f)).toEqual([]);
    expect(all.filter(([, src]) => /PROTO \d/.test(src)).map(([f]) => f)).toEqual([]);
  });
});
