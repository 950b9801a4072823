/**
 * The status page: static HTML, CSS and script with no personal data in them. The script follows
 * `/events?token=…` and draws each ScreenState with textContent only (nothing from a code is parsed as HTML).
 * Sized for a small kiosk screen (800×480 and up) and a browser tab alike.
 */

import { LONE_KEY_QUIET_MS } from '../../scan/limits.js';
import { PHOTO_UNREADABLE } from '../photo.js';

export const PAGE_HTML = `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>proofdesk status</title>
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body data-kind="idle" data-colour="neutral" data-person="no">
<div id="demo" hidden>DEMO — demonstration keys only, not a real check</div>
<div id="alerts" role="alert" hidden></div>
<header id="banner">
  <span id="icon" data-icon="none" aria-hidden="true"></span>
  <h1 id="headline" role="status" aria-live="assertive">Connecting…</h1>
  <p id="desk-box"><span id="purpose"></span><span id="desk"></span></p>
</header>
<main>
  <section id="person" hidden>
    <figure id="photo-box">
      <img id="photo" alt="Photo from the code: compare with the person in front of you" hidden>
      <figcaption id="photo-note" hidden></figcaption>
    </figure>
  </section>
  <div id="info">
    <p id="message"></p>
    <dl id="facts" hidden>
      <dt class="name-dt">Name</dt><dd id="name" dir="auto"></dd>
      <dt>Date of birth</dt><dd id="dob"></dd>
      <dt id="status-label-dt">Status</dt><dd id="status-label"></dd>
      <dt id="valid-until-dt">Permission ends</dt><dd id="valid-until"></dd>
      <dt id="document-dt">Document</dt><dd id="document"></dd>
      <dt id="follow-up-dt">Follow-up check</dt><dd id="follow-up"></dd>
    </dl>
    <ul id="rights"></ul>
    <p id="next-step"></p>
  </div>
  <div id="answer-row">
    <div id="likeness" hidden>
      <p id="likeness-question">Is the photo of the person in front of you?</p>
      <button type="button" data-answer="yes" data-key="Y" id="likeness-yes">Yes, it is them</button>
      <button type="button" data-answer="no" data-key="N" id="likeness-no">No, not them</button>
      <button type="button" data-answer="not-asked" data-key="X" id="likeness-skip">Not checked</button>
    </div>
    <p id="likeness-answer" hidden></p>
  </div>
  <form id="details" hidden autocomplete="off">
    <label id="checker-field" hidden>Checked by <input id="checker-name" name="checkerName" maxlength="100" autocomplete="off" spellcheck="false"></label>
    <label id="reference-field" hidden><span id="reference-label">Reference</span> <input id="reference" name="reference" maxlength="100" autocomplete="off" spellcheck="false"></label>
    <button type="submit" id="details-save">Save</button>
    <span id="details-status" role="status"></span>
  </form>
  <p id="worth"></p>
</main>
<footer><span id="checked-at"></span> <span id="check-id"></span> <span id="clears"></span></footer>
</body>
</html>
`;

/*
 * Layout: one screen, never scrolled. The type is sized from the viewport (the smaller of 1.8 vw and 3.1 vh), so
 * the page is the same drawing at 800×480, 1024×600, 1280×800 and 1920×1080 (about 55 × 33 em each): the photo
 * and the facts beside it, the likeness buttons in one row under them, the worth statement and the footer.
 * test/screen/page-fit.test.ts measures it in Chromium at each size.
 */
export const PAGE_CSS = `
[hidden] { display: none !important; }
:root { font-family: "DejaVu Sans", "Noto Sans", system-ui, sans-serif; color: #111; background: #fff; }
body { --fit: 1; --type: clamp(12px, min(1.95vw, 3.35vh), 48px); --photo: min(46vh, 36vw);
  margin: 0; min-height: 100vh; display: flex; flex-direction: column; line-height: 1.25; font-size: calc(var(--type) * var(--fit)); }
body[data-details=on], body[data-alerts=on] { --type: clamp(12px, min(1.8vw, 3.1vh), 44px); --photo: min(40vh, 32vw); }
body[data-details=on][data-alerts=on] { --type: clamp(12px, min(1.7vw, 2.9vh), 42px); --photo: min(34vh, 28vw); }
#demo { flex: none; background: repeating-linear-gradient(45deg, #222, #222 12px, #444 12px, #444 24px); color: #ffeb3b;
  font-weight: 700; font-size: .8em; text-align: center; padding: .2em; letter-spacing: .08em; }
#alerts { flex: none; background: #b71c1c; color: #fff; font-weight: 700; padding: .25em .8em; }
#alerts div::before { content: "⚠ "; }
header { flex: none; display: flex; align-items: center; gap: .6em; padding: .3em .8em; color: #fff; background: #555; }
body[data-colour=green] header { background: #1b6e20; }
body[data-colour=red] header { background: #b71c1c; }
body[data-colour=amber] header { background: #e8a200; color: #111; }
body[data-colour=blue] header { background: #1546a0; }
h1 { margin: 0; font-size: 2.3em; line-height: 1.1; letter-spacing: .03em; flex: 1; min-width: 0; }
#icon { width: 2.4em; height: 2.4em; flex: none; }
#icon[data-icon=none] { display: none; }
#icon svg { width: 100%; height: 100%; display: block; }
body[data-person=no] h1 { font-size: 3em; }
body[data-person=no] #icon { width: 3.2em; height: 3.2em; }
#desk-box { margin: 0; flex: none; max-width: 34%; text-align: right; font-size: .8em; line-height: 1.2; opacity: .95; }
#desk-box span { display: block; }
#purpose { font-weight: 700; }
main { flex: 1 1 auto; display: grid; align-content: start; gap: .35em 1em; padding: .45em .8em .2em;
  grid-template-columns: auto minmax(0, 1fr);
  grid-template-areas: "photo info" "answer answer" "details details" "worth worth"; }
#person { grid-area: photo; min-width: 0; }
#info { grid-area: info; min-width: 0; }
body[data-person=no] #info { grid-column: 1 / -1; }
body[data-person=no] main { align-content: center; }
#answer-row { grid-area: answer; }
#details { grid-area: details; }
#worth { grid-area: worth; }
#photo-box { margin: 0; }
#photo { display: block; height: calc(var(--photo) * var(--fit)); width: auto; max-width: 40vw; object-fit: contain; border: .15em solid #333; background: #eee; }
#photo-note { width: min(30vw, 12em); font-weight: 700; color: #8a4b00; }
#info p { margin: 0; }
#message { font-size: 1.1em; font-weight: 700; margin-bottom: .25em !important; }
body[data-person=no] #message { font-size: 1.8em; margin: 0 0 .5em !important; }
body[data-kind=idle] #message { font-weight: 400; text-align: center; }
dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .1em .8em; margin: 0 0 .3em; }
dt { color: #555; } dd { margin: 0; font-weight: 700; overflow-wrap: anywhere; }
dt.name-dt { align-self: center; }
#name { font-size: 1.45em; line-height: 1.15; }
#rights { list-style: none; padding: 0; margin: 0 0 .3em; }
#rights li { padding: .05em 0; font-weight: 700; }
#rights li::before { display: inline-block; width: 1.4em; }
#rights li[data-answer=yes]::before { content: "✔"; color: #1b6e20; }
#rights li[data-answer=restricted]::before { content: "!"; color: #8a4b00; }
#rights li[data-answer=assess]::before { content: "?"; color: #8a4b00; }
#rights li[data-answer=no]::before { content: "✖"; color: #b71c1c; }
#rights li[data-answer=not-established]::before { content: "–"; color: #555; }
body[data-person=no] #next-step { font-size: 1.4em; }
body[data-person=no] #rights { font-size: 1.25em; margin-bottom: .5em; }
body[data-kind=idle] #details { justify-content: center; margin-top: 1em; }
#likeness { display: flex; flex-wrap: wrap; align-items: center; gap: .3em .5em; border: .12em solid #333; padding: .3em .5em; }
#likeness p { margin: 0 .4em 0 0; font-weight: 700; flex: 1 1 12em; }
#likeness button { font: inherit; font-weight: 700; padding: .4em .7em; border-radius: .3em; border: .12em solid #333; background: #f4f4f4; color: #111; cursor: pointer; }
#likeness button::after { content: attr(data-key); display: inline-block; margin-left: .5em; padding: 0 .3em; font-size: .8em;
  border: .1em solid #666; border-radius: .2em; background: #fff; color: #333; }
#likeness button[data-answer=yes] { background: #e3f3e4; border-color: #1b6e20; }
#likeness button[data-answer=no] { background: #fbe3e3; border-color: #b71c1c; }
#likeness-answer { margin: 0; font-weight: 700; padding: .3em .5em; border-left: .3em solid #555; background: #f2f2f2; }
body[data-colour=green] #likeness-answer { border-color: #1b6e20; }
body[data-colour=red] #likeness-answer { border-color: #b71c1c; background: #fbe3e3; }
body[data-colour=amber] #likeness-answer { border-color: #e8a200; background: #fff4d6; }
#details { display: flex; flex-wrap: wrap; align-items: center; gap: .3em 1em; font-size: .9em; }
#details label { display: flex; align-items: center; gap: .4em; color: #333; }
#details input { font: inherit; width: 12em; padding: .2em .35em; border: .1em solid #666; border-radius: .2em; }
#details button { font: inherit; padding: .2em .8em; border: .1em solid #333; border-radius: .2em; background: #f4f4f4; }
#details-status { color: #1b6e20; font-weight: 700; }
#details-status[data-state=error] { color: #b71c1c; }
#worth:empty { display: none; }
#worth { margin: .1em 0 0; color: #444; font-size: .78em; border-top: 1px solid #ccc; padding-top: .2em; }
footer { flex: none; display: flex; flex-wrap: wrap; gap: 0 1.2em; color: #555; font-size: .8em; padding: .2em .8em .3em; }
#clears { margin-left: auto; font-weight: 700; color: #333; }
#clears[data-soon] { color: #111; background: #ffe08a; padding: 0 .4em; }
`;

export const PAGE_JS = `'use strict';
(function () {
  var q = new URLSearchParams(location.search);
  var token = q.get('token') || sessionStorage.getItem('proofdesk-token') || '';
  if (q.get('token')) { sessionStorage.setItem('proofdesk-token', token); history.replaceState(null, '', '/'); }
  var $ = function (id) { return document.getElementById(id); };
  var SVG = 'http://www.w3.org/2000/svg';
  var ICONS = {
    tick: { shape: 'circle', bg: '#fff', stroke: '#1b6e20', d: 'M24 52 L42 70 L78 30' },
    cross: { shape: 'circle', bg: '#fff', stroke: '#b71c1c', d: 'M30 30 L70 70 M70 30 L30 70' },
    warning: { shape: 'triangle', bg: '#111', stroke: '#ffd54f', d: 'M50 34 L50 62 M50 76 L50 78' },
    mismatch: { shape: 'circle', bg: '#fff', stroke: '#b71c1c', d: 'M28 40 L72 40 M28 60 L72 60 M62 24 L38 76' },
    incomplete: { shape: 'circle', bg: '#111', stroke: '#ffd54f', d: 'M36 38 Q36 24 50 24 Q64 24 64 38 Q64 48 50 54 L50 62 M50 74 L50 76' },
    rescan: { shape: 'circle', bg: '#fff', stroke: '#1546a0', d: 'M72 50 A22 22 0 1 1 62 31 M62 18 L62 32 L48 32' },
    'not-a-code': { shape: 'circle', bg: '#fff', stroke: '#555', d: 'M50 30 L50 32 M50 44 L50 72' },
  };
  var current = null;

  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  /** 1990-01-31 → "31 Jan 1990": no day/month order to misread. Other text is shown as it is. */
  function day(iso) {
    var m = /^(\\d{4})-(\\d{2})-(\\d{2})$/.exec(iso || '');
    return m && +m[2] >= 1 && +m[2] <= 12 ? (+m[3]) + ' ' + MONTHS[+m[2] - 1] + ' ' + m[1] : iso;
  }
  function text(id, value) { var el = $(id); el.textContent = value || ''; return el; }
  function show(id, on) { $(id).hidden = !on; }

  function drawIcon(name) {
    var box = $('icon'); box.textContent = ''; box.dataset.icon = name;
    var spec = ICONS[name]; if (!spec) return;
    var svg = document.createElementNS(SVG, 'svg'); svg.setAttribute('viewBox', '0 0 100 100');
    svg.setAttribute('role', 'img'); svg.setAttribute('aria-label', name);
    var bg = document.createElementNS(SVG, spec.shape === 'circle' ? 'circle' : 'polygon');
    if (spec.shape === 'circle') { bg.setAttribute('cx', '50'); bg.setAttribute('cy', '50'); bg.setAttribute('r', '46'); }
    else bg.setAttribute('points', '50,6 96,92 4,92');
    bg.setAttribute('fill', spec.bg);
    var p = document.createElementNS(SVG, 'path'); p.setAttribute('d', spec.d); p.setAttribute('fill', 'none');
    p.setAttribute('stroke', spec.stroke); p.setAttribute('stroke-width', '12'); p.setAttribute('stroke-linecap', 'round');
    svg.appendChild(bg); svg.appendChild(p); box.appendChild(svg);
  }

  var PHOTO_UNREADABLE = ${JSON.stringify(PHOTO_UNREADABLE)};

  /** "This screen clears itself in 27 s", counted down from the state's clearsAt (the kiosk clears it, not the page). */
  function drawCountdown() {
    var el = $('clears'), at = current && current.clearsAt ? Date.parse(current.clearsAt) : NaN;
    if (isNaN(at)) { el.textContent = ''; delete el.dataset.soon; return; }
    var left = Math.max(0, Math.ceil((at - Date.now()) / 1000));
    el.textContent = 'This screen clears itself in ' + left + ' s';
    if (left <= 10) el.dataset.soon = ''; else delete el.dataset.soon;
  }
  setInterval(drawCountdown, 250);

  function render(s) {
    var previous = current;
    current = s;
    document.body.dataset.kind = s.kind;
    document.body.dataset.colour = s.colour;
    document.body.dataset.verdict = s.verdict || '';
    document.body.dataset.outcome = s.outcome || '';
    show('demo', !!s.demo);
    var alerts = $('alerts'); alerts.textContent = '';
    (s.alerts || []).forEach(function (a) { var p = document.createElement('div'); p.textContent = a.text; p.dataset.code = a.code; alerts.appendChild(p); });
    show('alerts', !!(s.alerts && s.alerts.length));
    document.body.dataset.alerts = s.alerts && s.alerts.length ? 'on' : 'off';
    drawIcon(s.icon);
    text('headline', s.headline);
    text('message', s.message);
    text('next-step', s.nextStep);
    text('worth', s.kind === 'result' ? s.worth : '');
    text('purpose', s.purposeLabel || '');
    text('desk', s.deskId ? 'Desk ' + s.deskId : '');
    var p = s.person;
    show('person', !!p); show('facts', !!p);
    document.body.dataset.person = p ? 'yes' : 'no';
    if (p) {
      text('name', p.name); text('dob', p.dateOfBirth ? day(p.dateOfBirth) : 'not in the code');
      var img = $('photo'), note = $('photo-note');
      // The signed image bytes as they are; one the browser cannot decode says so instead of a broken image.
      if (p.photo && p.photo.base64) {
        var src = 'data:' + p.photo.mime + ';base64,' + p.photo.base64;
        img.onerror = function () { if (img.getAttribute('src') !== src) return; img.removeAttribute('src'); img.hidden = true; note.textContent = PHOTO_UNREADABLE; note.hidden = false; };
        // Its size is known from the header before it loads, so the layout (and fit) does not move when it does.
        if (p.photo.width > 0 && p.photo.height > 0) img.style.aspectRatio = p.photo.width + ' / ' + p.photo.height;
        img.onload = fit;
        img.src = src; img.hidden = false; note.hidden = true;
      }
      else { img.removeAttribute('src'); img.hidden = true; note.textContent = p.photo ? p.photo.unsupported : 'No photo in this code: compare the person with their identity document.'; note.hidden = false; }
    } else {
      // Nothing of the previous person stays in the page, not even hidden.
      $('photo').removeAttribute('src'); text('name', ''); text('dob', ''); text('photo-note', '');
    }
    var st = s.status, rights = $('rights');
    rights.textContent = '';
    text('status-label', st ? st.label : ''); show('status-label-dt', !!st); show('status-label', !!st);
    text('valid-until', st ? st.permissionEndsText : ''); show('valid-until-dt', !!st); show('valid-until', !!st);
    text('document', st && st.document ? st.document : ''); show('document-dt', !!(st && st.document)); show('document', !!(st && st.document));
    var fu = s.followUp && s.kind === 'result' ? s.followUp.text : '';
    text('follow-up', fu); show('follow-up-dt', !!fu); show('follow-up', !!fu);
    (s.rights || []).forEach(function (r) { var li = document.createElement('li'); li.dataset.right = r.right; li.dataset.answer = r.answer; li.textContent = r.text; rights.appendChild(li); });
    show('likeness', s.likeness === 'ask');
    var answered = s.likeness !== 'ask' && !!s.likenessText;
    text('likeness-answer', answered ? s.likenessText : ''); show('likeness-answer', answered);
    text('checked-at', s.checkedAt ? 'Checked ' + new Date(s.checkedAt).toLocaleTimeString('en-GB') : '');
    text('check-id', s.checkId ? 'Check ' + s.checkId : '');
    drawCountdown();
    renderDetails(previous, s);
    fit();
  }

  /**
   * Everything on one screen: when a long text (a pending application's words, a long name) would push the
   * buttons below the screen, the type and the photo shrink together, a step at a time, until the page fits.
   */
  function fit() {
    var root = document.documentElement, f = 1;
    document.body.style.setProperty('--fit', '1');
    while (f > 0.6 && root.scrollHeight > innerHeight) { f -= 0.04; document.body.style.setProperty('--fit', f.toFixed(2)); }
  }
  addEventListener('resize', function () { if (current) fit(); });

  function answer(value) {
    if (!current || !current.checkId || current.likeness !== 'ask') return;
    fetch('/likeness?token=' + encodeURIComponent(token), {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ checkId: current.checkId, answer: value }),
    }).catch(function () {});
  }
  Array.prototype.forEach.call(document.querySelectorAll('#likeness button'), function (b) {
    b.addEventListener('click', function () { b.blur(); answer(b.dataset.answer); });
  });

  // ---- Keys Y / N / X: the same rule as the kiosk's terminal (src/kiosk/terminal-input.ts). ----
  // Only a LONE key counts: y, n or x with no other key for QUIET_MS before it and none for QUIET_MS after it, at
  // the start of a line (after Enter or Tab, or a second of silence). A keyboard-wedge scanner types a whole read in
  // one burst, milliseconds apart, so a "y" inside a code, or a code holding just "y" and its Enter, never answers.
  // Keys typed into a text field are the clerk's typing, not answers.
  var QUIET_MS = ${LONE_KEY_QUIET_MS}, LINE_QUIET_MS = 1000;
  var KEYS = { y: 'yes', n: 'no', x: 'not-asked' };
  var MODIFIERS = { Shift: 1, Control: 1, Alt: 1, AltGraph: 1, Meta: 1, CapsLock: 1 };
  var lastKeyAt = -1e9, lineOpen = false, held = null;
  function isField(t) { return !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable); }
  function onLikenessButton(e) { return (e.key === 'Enter' || e.key === ' ') && e.target && e.target.closest && !!e.target.closest('#likeness'); }
  document.addEventListener('keyup', function (e) { if (onLikenessButton(e)) e.preventDefault(); }, true); // Space presses on keyup
  document.addEventListener('keydown', function (e) {
    if (isField(e.target) || MODIFIERS[e.key]) return;
    // Enter or Space on a focused likeness button would press it: a scanner's Enter must never answer.
    if (onLikenessButton(e)) e.preventDefault();
    var t = e.timeStamp;
    if (held) { clearTimeout(held.timer); held = null; lineOpen = true; } // another key within the quiet time: a burst
    var quiet = t - lastKeyAt >= QUIET_MS;
    if (t - lastKeyAt >= LINE_QUIET_MS) lineOpen = false;
    lastKeyAt = t;
    var k = e.key && e.key.length === 1 ? e.key.toLowerCase() : '';
    if (KEYS[k] && quiet && !lineOpen && !e.repeat && !e.ctrlKey && !e.altKey && !e.metaKey) {
      e.preventDefault();
      var h = { answer: KEYS[k], checkId: current && current.checkId, timer: 0 };
      // After the quiet time, let input already waiting be handled first: only then is the key alone.
      h.timer = setTimeout(function () {
        setTimeout(function () {
          if (held !== h) return;
          held = null;
          if (current && current.checkId === h.checkId) answer(h.answer);
        }, 0);
      }, QUIET_MS);
      held = h;
      return;
    }
    lineOpen = !(e.key === 'Enter' || e.key === 'Tab');
  }, true);

  // ---- Checker's name and reference (config desk.askFor): before a check (kept for the next one) or after. ----
  var form = $('details'), nameInput = $('checker-name'), refInput = $('reference'), detailsStatus = $('details-status');
  var sentFor = null; // the check the fields' values were last saved with
  function detailsStatusText(words, state) { detailsStatus.textContent = words; if (state) detailsStatus.dataset.state = state; else delete detailsStatus.dataset.state; }
  function canTakeDetails(s) { return !!s && (s.askFor || []).length > 0 && s.kind === 'result' && !!s.person && !!s.checkId; }
  function renderDetails(previous, s) {
    var askFor = s.askFor || [];
    var open = askFor.length > 0 && (s.kind === 'idle' || canTakeDetails(s));
    show('details', open); document.body.dataset.details = open ? 'on' : 'off';
    show('checker-field', askFor.indexOf('checkerName') >= 0); show('reference-field', askFor.indexOf('reference') >= 0);
    text('reference-label', s.referenceLabel || 'Reference');
    var newCheck = canTakeDetails(s) && (!previous || previous.checkId !== s.checkId);
    // A reference belongs to one person's check: once saved with it, it is not carried to the next screen.
    if (previous && previous.checkId && previous.checkId !== s.checkId && sentFor === previous.checkId) { refInput.value = ''; }
    if (!open) { if (document.activeElement && form.contains(document.activeElement)) document.activeElement.blur(); }
    $('details-save').hidden = !canTakeDetails(s);
    if (s.kind === 'idle') detailsStatusText(askFor.length ? 'Saved with the next check.' : '');
    else if (newCheck) { detailsStatusText(''); if (nameInput.value.trim() || refInput.value.trim()) sendDetails(); }
  }
  function sendDetails() {
    var s = current; if (!canTakeDetails(s)) return;
    var body = { checkId: s.checkId }, askFor = s.askFor || [];
    if (askFor.indexOf('checkerName') >= 0 && nameInput.value.trim()) body.checkerName = nameInput.value.trim();
    if (askFor.indexOf('reference') >= 0 && refInput.value.trim()) body.reference = refInput.value.trim();
    if (!body.checkerName && !body.reference) { detailsStatusText('Nothing to save.', 'error'); return; }
    var id = s.checkId;
    detailsStatusText('Saving…');
    fetch('/details?token=' + encodeURIComponent(token), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    }).then(function (r) {
      if (!current || current.checkId !== id) return;
      if (r.ok) { sentFor = id; detailsStatusText('Saved with check ' + id + '.'); }
      else detailsStatusText(r.status === 400 ? 'Not saved: use plain text, up to 100 characters.' : 'Not saved: this check cannot keep details.', 'error');
    }).catch(function () { detailsStatusText('Not saved: no connection to the kiosk.', 'error'); });
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (document.activeElement) document.activeElement.blur();
    if (canTakeDetails(current)) sendDetails();
  });
  // A scanner typing into a field (a wedge, while the field has focus) types in a burst: that text is not the clerk's.
  [nameInput, refInput].forEach(function (input) {
    var last = -1e9, fast = 0;
    input.addEventListener('keydown', function (e) {
      if (MODIFIERS[e.key]) return;
      fast = e.timeStamp - last < QUIET_MS ? fast + 1 : 0;
      last = e.timeStamp;
      if (fast >= 3) {
        e.preventDefault(); input.value = '';
        detailsStatusText('That was typed by a scanner: type it by hand.', 'error');
      }
    });
  });

  if (!token) { text('headline', 'Open this desk\\'s link (proofdesk run says where it is kept)'); return; }
  /** Without a live connection the page cannot be cleared by the kiosk: it clears itself (nobody stays on screen). */
  function disconnected(headline, message) {
    render({ kind: 'idle', demo: !!(current && current.demo), colour: 'neutral', icon: 'none', verdict: null, outcome: null,
      headline: headline, message: message, nextStep: '', worth: '', person: null, status: null, rights: [], alerts: [],
      likeness: 'not-asked', checkedAt: null, checkId: null, clearsAt: null,
      purposeLabel: current ? current.purposeLabel : '', deskId: current ? current.deskId : '',
      askFor: [], referenceLabel: '' });
    document.body.dataset.connection = 'lost';
  }
  var eventsUrl = '/events?token=' + encodeURIComponent(token);
  var RETRY_MS = 2000;
  function waiting() { disconnected('Waiting for proofdesk…', 'The connection to the kiosk was lost; reconnecting.'); }
  /** The token lasts across kiosk restarts: the page follows the kiosk through them without a new link. */
  function connect() {
    var events = new EventSource(eventsUrl);
    events.onopen = function () { document.body.dataset.connection = 'open'; };
    events.onmessage = function (e) { document.body.dataset.connection = 'open'; render(JSON.parse(e.data)); };
    events.onerror = function () {
      if (events.readyState !== EventSource.CLOSED) return waiting(); // the browser retries by itself
      // The browser gave up: a kiosk refusing while it stopped (503) — try again — or a token it does not know (401).
      events.close();
      fetch(eventsUrl, { cache: 'no-store' }).then(function (r) {
        if (r.body) r.body.cancel().catch(function () {});
        if (r.status !== 401) { waiting(); return setTimeout(connect, RETRY_MS); }
        sessionStorage.removeItem('proofdesk-token');
        disconnected('Not connected', 'This link is not (or no longer) this desk\\'s: open the desk\\'s link again. proofdesk run says where it is kept; a new one is made by proofdesk run --new-token.');
      }, function () { waiting(); setTimeout(connect, RETRY_MS); });
    };
  }
  connect();
})();
`;
