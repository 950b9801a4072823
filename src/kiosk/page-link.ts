/**
 * The status page's lasting link. Each desk has one page token, kept in its record folder in one owner-only (0600)
 * file, `status-page-link.html`, which is also the page's launcher: the desk's browser opens it as a file
 * (`chromium --kiosk --app=file:///…/status-page-link.html`, so the token is never in a command line that `ps`
 * shows), it waits until the kiosk answers, then opens the page with the token. The same token is reused at every
 * start, so a page opened once reconnects by itself after a restart; `proofdesk run --new-token` (or deleting the
 * file) makes a new one, and every page holding the old one is refused (401).
 *
 * The record folder is the desk (one kiosk writes it: its writer lock), is owner-only already, and is where a
 * system service may write. A file that another user could read, or that is not ours, is not trusted: a new token
 * replaces it.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../storage/files.js';

const PAGE_LINK_FILE = 'status-page-link.html';
/** 24 random bytes, base64url: 192 bits. */
const TOKEN_BYTES = 24;
const TOKEN_IN_FILE = /[?&]token=([A-Za-z0-9_-]{32})(?![A-Za-z0-9_-])/;
/** Far more than a link file holds: anything bigger is not one of ours. */
const MAX_LINK_FILE_BYTES = 16 * 1024;

/** Where the token came from: the file (kept), none yet (new), `--new-token` (renewed), an unusable file (replaced). */
export type TokenOrigin = 'kept' | 'new' | 'renewed' | 'replaced';

export interface DeskToken {
  token: string;
  file: string;
  origin: TokenOrigin;
  /** Why a file there was not used (origin 'replaced'). */
  why?: string;
}

function freshToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** The token in `dir`'s link file, or a new one (`renew`: always new). Writes nothing: see writePageLink. */
export function deskToken(dir: string, renew: boolean): DeskToken {
  const file = path.join(dir, PAGE_LINK_FILE);
  if (renew) return { token: freshToken(), file, origin: 'renewed' };
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { token: freshToken(), file, origin: 'new' };
    return { token: freshToken(), file, origin: 'replaced', why: `cannot read it (${code ?? (err as Error).message})` };
  }
  try {
    const st = fs.fstatSync(fd);
    const uid = process.getuid?.();
    if (!st.isFile()) return { token: freshToken(), file, origin: 'replaced', why: 'not a regular file' };
    if (uid !== undefined && st.uid !== uid) return { token: freshToken(), file, origin: 'replaced', why: `it belongs to uid ${st.uid}` };
    if ((st.mode & 0o077) !== 0)
      return { token: freshToken(), file, origin: 'replaced', why: `other users could read it (mode ${(st.mode & 0o777).toString(8)})` };
    if (st.size > MAX_LINK_FILE_BYTES) return { token: freshToken(), file, origin: 'replaced', why: 'too big to be a link file' };
    const m = TOKEN_IN_FILE.exec(fs.readFileSync(fd, 'utf8'));
    if (!m) return { token: freshToken(), file, origin: 'replaced', why: 'no token in it' };
    return { token: m[1]!, file, origin: 'kept' };
  } finally {
    fs.closeSync(fd);
  }
}

/** The page's address on this port, without the token (what a journal may hold). */
export function pageAddress(port: number): string {
  return `http://127.0.0.1:${port}/`;
}

/** The launcher page: waits for the kiosk (a browser started at boot may be up first), then opens the status page. */
function linkHtml(port: number, token: string): string {
  const page = pageAddress(port);
  const link = `${page}?token=${token}`;
  return `<!doctype html>
<!-- proofdesk: this desk's status page link. It holds the page's token: keep it owner-only (0600) and out of command
     lines. The desk's browser opens this file: chromium --kiosk --app=file:///…/status-page-link.html
     (docs/kiosk-config.md, "The desk's browser"). A new token: proofdesk run --new-token, or delete this file and restart the kiosk. -->
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>proofdesk status page</title></head>
<body style="font: 1.4em sans-serif; margin: 2em">
<p id="wait">Waiting for proofdesk at ${page} …</p>
<p><a id="link" href="${link}">Open the proofdesk status page</a></p>
<script>
(function () {
  var link = document.getElementById('link').href;
  function go() {
    fetch('${page}health', { mode: 'no-cors', cache: 'no-store' }).then(function () { location.replace(link); }, function () { setTimeout(go, 2000); });
  }
  go();
})();
</script>
</body>
</html>
`;
}

/** Write (or refresh, when the port changed) the link file, owner-only, atomically. */
export function writePageLink(file: string, port: number, token: string): void {
  const html = linkHtml(port, token);
  try {
    if (fs.readFileSync(file, 'utf8') === html && (fs.statSync(file).mode & 0o077) === 0) return;
  } catch {
    // absent or unreadable: written below
  }
  writeFileAtomic(file, html, { mode: 0o600 });
}
