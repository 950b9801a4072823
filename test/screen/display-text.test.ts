/**
 * One sanitised text for every display: a name with a NUL, escape and bidi controls in it reads the same on the web
 * page, the terminal and the bridge panel — the panel drew only what came before the NUL (Pango's text is a C
 * string), while the page showed it all.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { layoutScreen, REGIONS, type DrawOp } from '../../src/bridge/layout.js';
import { startWebDisplay, type WebDisplay } from '../../src/screen/web/server.js';
import { idleScreen } from '../../src/screen/state.js';
import { renderTerminal } from '../../src/screen/terminal.js';
import { resultState } from '../bridge/fixtures.js';
import { SseClient } from '../kiosk/helpers.js';
import { describeUnsafe } from '../text/unsafe.js';

const HOSTILE = 'Ada\0Lovelace \u202eyraM\u202c\x1b[2J\u2066Byron\u2069';

let web: WebDisplay | null = null;
let sse: SseClient | null = null;
afterEach(async () => {
  sse?.close();
  await web?.close();
  web = sse = null;
});

/** The name's bitmaps: everything drawn between the banner and the photo box's top. */
async function nameOps(name: string): Promise<DrawOp[]> {
  const plan = await layoutScreen(await resultState('VALID', name));
  return plan.verdict.filter((op) => op.type === 'BITMAP1' && op.y >= REGIONS.banner.h && op.y < REGIONS.photo.y);
}

describe('every display shows the same text for a hostile name', () => {
  it('web page, terminal and bridge panel', async () => {
    const state = await resultState('VALID', HOSTILE);
    web = await startWebDisplay({
      port: 0,
      token: 't'.repeat(32),
      version: 'test',
      initial: idleScreen({ purpose: 'work', demo: false, worth: 'w', id: 'desk-t' }),
      health: () => ({ ok: true, problems: [], scanners: [], counters: null }),
      onLikeness: () => false,
    });
    sse = await SseClient.open(web.port, 't'.repeat(32));
    web.show(state);
    const shown = await sse.waitFor((s) => s.kind === 'result');
    const webName = shown.person!.name;
    expect(describeUnsafe(webName)).toEqual([]);
    expect(webName).toBe('Ada\uFFFDLovelace \uFFFDyraM\uFFFD\uFFFD[2J\uFFFDByron\uFFFD');

    expect(renderTerminal(state, { colour: false, likenessKeys: false })).toContain(`Name:            ${webName}\n`);

    // The panel draws what the page shows: all of it (not just "Ada"), and exactly as the page's text.
    const panel = await nameOps(HOSTILE);
    expect(panel).toEqual(await nameOps(webName));
    expect(panel).not.toEqual(await nameOps('Ada'));
  });
});
