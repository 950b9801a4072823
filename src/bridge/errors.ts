/** Errors of the host side of the bridge link. Each has a stable `code`; messages are for the person fixing the desk. */
import { ProofdeskError } from '../errors.js';

export type BridgeErrorCode =
  /** The firmware speaks a protocol version this host does not. */
  | 'PROTOCOL_MISMATCH'
  /** No HELLO_OK (or banner) arrived in time: not a bridge, or not powered. */
  | 'HANDSHAKE_TIMEOUT'
  /** A HELLO_OK arrived but could not be read (too short, bad fields): a bridge, but one this host cannot talk to. */
  | 'HANDSHAKE_MALFORMED'
  /** A frame went unacknowledged after every retry: the link is down. */
  | 'LINK_DOWN'
  /** The firmware sent its boot banner mid-session: it rebooted, so the session starts again with HELLO. */
  | 'FIRMWARE_RESTARTED'
  /** The port closed (unplugged) or the session was closed while frames were in flight. */
  | 'LINK_CLOSED'
  /** The firmware refused a frame for a reason a retry cannot fix (too long, bad type, bad length). */
  | 'FRAME_REJECTED'
  /** Too many frames are already waiting for the window (the bridge is slow or stuck); this one was not queued. */
  | 'LINK_BUSY'
  /** A payload exceeds the protocol's maximum. */
  | 'PAYLOAD_TOO_LONG'
  /** The serial port could not be opened. */
  | 'PORT_OPEN_FAILED'
  /** No bridge was found by auto-detection. */
  | 'NOT_FOUND';

export class BridgeError extends ProofdeskError {
  constructor(
    override readonly code: BridgeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
