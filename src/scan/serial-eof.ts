/**
 * Works around a serialport bug that would hide an unplug. On Linux a hung-up tty (USB device unplugged, pty master
 * closed) makes read() return 0 (end of file); @serialport/bindings-cpp 13's unixRead treats 0 as "try again" and
 * recurses for ever — CPU at 100 %, memory growing, no 'close' event (serialport/bindings-cpp#162, fix proposed in
 * #164). We replace the opened port's read with one that treats 0 bytes as a disconnect, so the stream closes with
 * `disconnected` and the scanner reconnects. The port is opened non-blocking with VMIN 1, so "no data yet" is EAGAIN,
 * never 0.
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

/** Call right after the port opened. A no-op where the binding is not the Unix one (no fd / poller). */
export function treatEofAsDisconnect(port: SerialPort): void {
  const binding = (port as unknown as { port?: UnixPortBinding }).port;
  if (!binding || typeof binding.fd !== 'number' || !binding.poller) return;
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
}
