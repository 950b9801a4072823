/** Types for scripts/fuzz-engine.mjs (plain JavaScript so the long run needs no compiler; the tests use these). */
export interface FuzzViolation {
  target: string;
  layer: string;
  what: string;
  /** The input: text for codes, hex for bytes. */
  input: string;
}
export interface FuzzReport {
  target: 'decoder' | 'trust' | 'bridge';
  inputs: number;
  ms: number;
  violations: FuzzViolation[];
  slowest: { ms: number; layer: string | null };
  seed: number;
  byLayer: Record<string, number>;
}
export interface FuzzCorpus {
  codes: { at: number; codes: { name: string; text: string; verdict: string }[] };
  keys: { keys: Record<string, unknown>[] };
  trust: Record<string, unknown>;
  bridge: { frames: { name: string; hex: string }[] };
  issuerPrivate: Record<string, unknown>;
  rootPrivate: Record<string, unknown>;
}
/** What the targets drive: the product's module namespaces (src/ in tests, dist/ in the long run), merged. */
export type FuzzApi = Record<string, unknown>;
declare const prepared: unique symbol;
export interface Prepared {
  readonly [prepared]: true;
}
export function loadCorpus(repoRoot: string): FuzzCorpus;
export function prepareDecoder(api: FuzzApi, corpus: FuzzCorpus, opts?: { knownSignatures?: boolean }): Promise<Prepared>;
export function prepareTrust(api: FuzzApi, corpus: FuzzCorpus): Promise<Prepared>;
export function prepareBridge(api: FuzzApi, corpus: FuzzCorpus): Prepared;
export function runTarget(
  target: 'decoder' | 'trust' | 'bridge',
  prepared: Prepared,
  opts: { inputs: number; timeLimitMs: number; seed?: number; onProgress?: (count: number) => void },
): Promise<FuzzReport>;
export const TARGETS: readonly ['decoder', 'trust', 'bridge'];
export const LAYERS: readonly string[];
