/**
 * The status page: static HTML, CSS and script with no personal data in them. The script follows
 * `/events?token=…` and draws each ScreenState with textContent only (nothing from a code is parsed as HTML).
 * Sized for a small kiosk screen (800×480 and up) and a browser tab alike.
 */

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
<body data-kind="idle" data-colour="neutral">
<div id="demo" hidden>DEMO — demonstration keys only, not a real check</div>
<div id="alerts" role="alert" hidden></div>
<header id="banner" role="status" aria-live="assertive">
  <span id="icon" data-icon="none" aria-hidden="true"></span>
  <h1 id="headline">Connecting…</h1>
</header>
<main>
  <section id="person" hidden>
    <figure id="photo-box">
      <img id="photo" alt="Photo from the code: compare with the person in front of you" hidden>
      <figcaption id="photo-note" hidden></figcaption>
    </figure>
    <dl>
      <dt>Name</dt><dd id="name" dir="auto"></dd>
      <dt>Date of birth</dt><dd id="dob"></dd>
      <dt id="status-label-dt">Status</dt><dd id="status-label"></dd>
      <dt>Permission ends</dt><dd id="valid-until"></dd>
      <dt id="document-dt">Document</dt><dd id="document"></dd>
      <dt id="follow-up-dt">Follow-up check</dt><dd id="follow-up"></dd>
    </dl>
  </section>
  <ul id="rights"></ul>
  <p id="message"></p>
  <p id="next-step"></p>
  <div id="likeness" hidden>
    <p id="likeness-question">Is the photo of the person in front of you?</p>
    <button type="button" data-answer="yes" id="likeness-yes">Yes, it is them</button>
    <button type="button" data-answer="no" id="likeness-no">No, not them</button>
    <button type="button" data-answer="not-asked" id="likeness-skip">Not checked</button>
  </div>
  <p id="likeness-answer" hidden></p>
  <p id="worth"></p>
</main>
<footer><span id="desk"></span> <span id="checked-at"></span> <span id="check-id"></span> <span id="clears"></span></footer>
</body>
</html>
`;

export const PAGE_CSS = `
[hidden] { display: none !important; }
:root { font-family: "DejaVu Sans", "Noto Sans", system-ui, sans-serif; color: #111; background: #fff; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; font-size: clamp(13px, 2.1vw, 22px); }
#demo { background: repeating-linear-gradient(45deg, #222, #222 12px, #444 12px, #444 24px); color: #ffeb3b;
  font-weight: 700; text-align: center; padding: .25em; letter-spacing: .08em; }
header { display: flex; align-items: center; gap: .6em; padding: .4em .8em; color: #fff; background: #555; }
body[data-colour=green] header { background: #1b6e20; }
body[data-colour=red] header { background: #b71c1c; }
body[data-colour=amber] header { background: #e8a200; color: #111; }
body[data-colour=blue] header { background: #1546a0; }
#alerts { background: #b71c1c; color: #fff; font-weight: 700; padding: .3em .8em; }
h1 { margin: 0; font-size: 2.2em; letter-spacing: .03em; }
#icon { width: 2.6em; height: 2.6em; flex: none; }
#icon svg { width: 100%; height: 100%; }
main { flex: 1; padding: .5em .8em; }
#person { display: flex; gap: 1em; align-items: flex-start; }
#photo-box { margin: 0; flex: none; }
#photo { width: 28vw; max-width: 320px; min-width: 140px; image-rendering: auto; border: 3px solid #333; background: #eee; }
#photo-note { max-width: 34vw; font-weight: 700; color: #8a4b00; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15em .8em; margin: 0; }
dt { color: #555; } dd { margin: 0; font-weight: 700; }
#rights { list-style: none; padding: 0; margin: .5em 0; }
#rights li { padding: .15em 0; font-weight: 700; }
#rights li::before { display: inline-block; width: 1.4em; }
#rights li[data-answer=yes]::before { content: "✔"; color: #1b6e20; }
#rights li[data-answer=restricted]::before { content: "!"; color: #8a4b00; }
#rights li[data-answer=assess]::before { content: "?"; color: #8a4b00; }
#rights li[data-answer=no]::before { content: "✖"; color: #b71c1c; }
#rights li[data-answer=not-established]::before { content: "–"; color: #555; }
#message { font-size: 1.15em; font-weight: 700; margin: .4em 0 .2em; }
#next-step { margin: .2em 0; }
#likeness { border: 2px solid #333; padding: .4em .6em; margin: .5em 0; }
#likeness p { margin: 0 0 .3em; font-weight: 700; }
#likeness button { font: inherit; padding: .5em .9em; margin: 0 .4em .2em 0; border-radius: .3em; border: 2px solid #333; background: #f4f4f4; }
#likeness button[data-answer=yes] { background: #e3f3e4; }
#likeness button[data-answer=no] { background: #fbe3e3; }
#worth { color: #444; font-size: .85em; border-top: 1px solid #ccc; padding-top: .3em; }
footer { color: #555; font-size: .8em; padding: .3em .8em; }
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

  function render(s) {
    current = s;
    document.body.dataset.kind = s.kind;
    document.body.dataset.colour = s.colour;
    document.body.dataset.verdict = s.verdict || '';
    show('demo', !!s.demo);
    var alerts = $('alerts'); alerts.textContent = '';
    (s.alerts || []).forEach(function (a) { var p = document.createElement('div'); p.textContent = a.text; alerts.appendChild(p); });
    show('alerts', !!(s.alerts && s.alerts.length));
    drawIcon(s.icon);
    text('headline', s.headline);
    text('message', s.message);
    text('next-step', s.nextStep);
    text('worth', s.kind === 'result' ? s.worth : '');
    var p = s.person;
    show('person', !!p);
    if (p) {
      text('name', p.name); text('dob', p.dateOfBirth ? day(p.dateOfBirth) : 'not in the code');
      var img = $('photo'), note = $('photo-note');
      // The signed image bytes as they are; one the browser cannot decode says so instead of a broken image.
      if (p.photo && p.photo.base64) {
        var src = 'data:' + p.photo.mime + ';base64,' + p.photo.base64;
        img.onerror = function () { if (img.getAttribute('src') !== src) return; img.removeAttribute('src'); img.hidden = true; note.textContent = PHOTO_UNREADABLE; note.hidden = false; };
        img.src = src; img.hidden = false; note.hidden = true;
      }
      else { img.removeAttribute('src'); img.hidden = true; note.textContent = p.photo ? p.photo.unsupported : 'No photo in this code: compare the person with their identity document.'; note.hidden = false; }
    } else {
      // Nothing of the previous person stays in the page, not even hidden.
      $('photo').removeAttribute('src'); text('name', ''); text('dob', ''); text('photo-note', '');
    }
    var st = s.status, rights = $('rights');
    rights.textContent = '';
    text('status-label', st ? st.label : '');
    text('valid-until', st ? st.permissionEndsText : '');
    text('document', st && st.document ? st.document : ''); show('document-dt', !!(st && st.document)); show('document', !!(st && st.document));
    var fu = s.followUp && s.kind === 'result' ? s.followUp.text : '';
    text('follow-up', fu); show('follow-up-dt', !!fu); show('follow-up', !!fu);
    (s.rights || []).forEach(function (r) { var li = document.createElement('li'); li.dataset.right = r.right; li.dataset.answer = r.answer; li.textContent = r.text; rights.appendChild(li); });
    show('likeness', s.likeness === 'ask');
    var answered = s.likeness !== 'ask' && !!s.likenessText;
    text('likeness-answer', answered ? s.likenessText : ''); show('likeness-answer', answered);
    text('desk', s.deskId ? 'Desk ' + s.deskId + ' · ' + (s.purposeLabel || '') : '');
    text('checked-at', s.checkedAt ? 'Checked ' + new Date(s.checkedAt).toLocaleString('en-GB') : '');
    text('check-id', s.checkId ? 'Check ' + s.checkId : '');
    text('clears', s.clearsAt ? 'Clears at ' + new Date(s.clearsAt).toLocaleTimeString('en-GB') : '');
  }

  function answer(value) {
    if (!current || !current.checkId) return;
    fetch('/likeness?token=' + encodeURIComponent(token), {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ checkId: current.checkId, answer: value }),
    }).catch(function () {});
  }
  Array.prototype.forEach.call(document.querySelectorAll('#likeness button'), function (b) {
    b.addEventListener('click', function () { answer(b.dataset.answer); });
  });

  if (!token) { text('headline', 'Open the link printed by proofdesk run'); return; }
  /** Without a live connection the page cannot be cleared by the kiosk: it clears itself (nobody stays on screen). */
  function disconnected(headline, message) {
    render({ kind: 'idle', demo: !!(current && current.demo), colour: 'neutral', icon: 'none', verdict: null,
      headline: headline, message: message, nextStep: '', worth: '', person: null, status: null,
      likeness: 'not-asked', checkedAt: null, checkId: null });
    document.body.dataset.connection = 'lost';
  }
  var events = new EventSource('/events?token=' + encodeURIComponent(token));
  events.onopen = function () { document.body.dataset.connection = 'open'; };
  events.onmessage = function (e) { document.body.dataset.connection = 'open'; render(JSON.parse(e.data)); };
  events.onerror = function () {
    if (events.readyState === EventSource.CLOSED) {
      // Refused (a wrong or old token: every start of proofdesk run makes a new one): the browser will not retry.
      sessionStorage.removeItem('proofdesk-token');
      disconnected('Not connected', 'Open the link that proofdesk run printed when it started (each start prints a new one).');
    } else {
      disconnected('Waiting for proofdesk…', 'The connection to the kiosk was lost; reconnecting.');
    }
  };
})();
`;
