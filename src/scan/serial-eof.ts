/**
 * Works around a serialport bug that would hide an unplug. On Linux a hung-up tty (USB device unplugged, pty master
 * closed) makes read() return 0 (end of file); @serialport/bindings-cpp 13's unixRead treats 0 as "try again" and
 * recurses for ever — CPU at 100 %, memory growing, no 'close' event (serialport/bindings-cpp#162, fix proposed in
 * #164). We replace the opened port's read with one that treats 0 bytes as a disconnect, so the stream closes with
 * `disconnected` and the scanner reconnects. The port is opened non-blocking with VMIN 1, so "no data yet" is EAGAIN,
 * never 0.
 *
 * For any serialport user in proofdesk (the scanner layer, the firmware bridge's link and detection):
 *
 *   const port = new SerialPort({ path, baudRate, autoOpen: false });
 *   port.open((err) => {
 *     if (err) return …;
 *     treatEofAsDisconnect(port);          // in the open callback, before any 'data' listener or pipe
 *     port.on('close', (e) => …);          // a hang-up now arrives here with e.disconnected === true
 *     port.on('data', …);
 *   });
 *
 * Call it once per opened SerialPort (again after a reopen: each open makes a new binding). A read already in flight
 * keeps the library's loop, hence "before any 'data' listener". Returns false, changing nothing, where the port is
 * not an open Unix binding (not yet opened, a mock binding, Windows); true once the replacement is in place. Calling
 * it twice is harmless.
 */
import { read as fsRead } from 'node:fs';
import { promisify } from 'node:util';
import type { SerialPort } from 'serialport';

const readAsync = promisify(fsRead);

interface UnixPortBinding {
  fd: number | null;
  readonly isOpen: boolean;
  poller?: { once(event: 'readable', cb: (err: Error | null) => void): unknown };
  read(buffer: Buffer, offset: number, length: number): Promise<{ bytesRead: number; buffer: Buffer }>;
}

const canceled = () => Object.assign(new Error('Port is not open'), { canceled: true });

/** See the module comment: call in the open callback; true when the port's reads now end at a hang-up. */
export function treatEofAsDisconnect(port: SerialPort): boolean {
  const binding = (port as unknown as { port?: UnixPortBinding }).port;
  if (!binding || typeof binding.fd !== 'number' || !binding.poller) return false;
  const poller = binding.poller;
  binding.read = async (buffer, offset, length) => {
    for (;;) {
      if (!binding.isOpen || binding.fd === null) throw canceled();
      let bytesRead: number;
      try {
        ({ bytesRead } = await readAsync(binding.fd, buffer, offset, length, null));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw err;
        if (!binding.isOpen) throw canceled();
        await new Promise<void>((resolve, reject) => poller.once('readable', (e) => (e ? reject(e) : resolve())));
        continue;
      }
      if (bytesRead === 0) throw Object.assign(new Error('end of file: the device hung up'), { disconnect: true });
      return { bytesRead, buffer };
    }
  };
  return true;
}
