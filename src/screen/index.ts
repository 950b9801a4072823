/** Verdict → ScreenState (pure) → displays (web page over SSE, terminal; the bridge TFT lives in src/bridge). */
export * from './state.js';
export { preparePhoto, photoBytes, PHOTO_UNSUPPORTED_JPEG2000, PHOTO_UNREADABLE } from './photo.js';
export { startWebDisplay, WebDisplayError, type WebDisplay, type WebDisplayOptions, type ScannerHealth } from './web/server.js';
export type { ScreenDisplay } from './display.js';
export { renderTerminal, terminalDisplay, type TerminalDisplay } from './terminal.js';
