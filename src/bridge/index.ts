/** The bridge box, host side: link, session, scanner, display, detection (docs/bridge-host.md). */
export { Bridge, type BridgeOptions, type BridgeEvents } from './bridge.js';
export { BridgeLink, DEFAULT_BAUD_RATE, type LinkOptions, type LinkEvents } from './link.js';
export { Session, DEFAULT_SESSION_OPTIONS, type SessionOptions, type SessionStats, type FirmwareInfo } from './session.js';
export { BridgeScanner, ScanPieces, dropReason } from './scanner.js';
export { BridgeDisplay, type DrawReport } from './display.js';
export { layoutScreen, REGIONS, COLOURS, type ScreenPlan, type Signals, type DrawOp } from './layout.js';
export { PANEL } from './panel.js';
export {
  detectBridge,
  probeBridge,
  bridgeCandidates,
  BridgeWatcher,
  ST_LINK_V2_1,
  UDEV_SYMLINK,
  type DetectResult,
  type PortListing,
  type WatchOptions,
} from './detect.js';
export { attachBridge, type BridgeConfig, type AttachedBridge } from './attach.js';
export { BridgeError, type BridgeErrorCode } from './errors.js';
export { PROTOCOL_VERSION } from './codec.js';
