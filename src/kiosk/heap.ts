/**
 * The kiosk's heap, tuned for a desk that runs for months rather than for throughput.
 *
 * Each scan leaves a little garbage in V8's old generation (the verify path's typed arrays: Base45 → inflate → COSE;
 * their backing stores are malloc'd). V8 lets the old generation grow by a factor of up to 4 over what the last full
 * GC kept before it collects again, so a busy desk carries 10–20 MB of dead arrays, and glibc keeps the pages those
 * arrays used. Growing by 25 % instead collects them sooner: with the service unit's other settings the kiosk stays
 * at ≈ 80 MB instead of ≈ 93 MB, for a few more (short) full GCs (BENCHMARKS.md, "Kiosk: memory over a long day").
 *
 * `--heap-growing-percent` is a V8 option that NODE_OPTIONS does not accept, and the kiosk is started as
 * `proofdesk run` (a systemd unit, `npm start`, `npx`), so it is set here, as the process starts. V8 reads it at each
 * full GC, so setting it at run time takes effect (measured, not assumed). A `node --heap-growing-percent=…` given
 * on the command line wins.
 */
import { setFlagsFromString } from 'node:v8';

const DESK_HEAP_GROWING_PERCENT = 25;

/** Sets the desk's heap growing factor unless the command line set one. Returns whether it set it. */
export function tuneHeapForADesk(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((a) => a.startsWith('--heap-growing-percent') || a.startsWith('--heap_growing_percent'))) return false;
  setFlagsFromString(`--heap-growing-percent=${DESK_HEAP_GROWING_PERCENT}`);
  return true;
}
