'use strict';
// The workbench page: keyboard-first labelling. All text goes in with textContent (never innerHTML),
// and the CSRF token lives only in this closure, echoed in X-CSRF-Token on every POST.
(() => {
  const $ = (id) => document.getElementById(id);
  let csrf = null;
  let classes = [];
  let current = null;
  let options = [];
  let busy = false;

  async function call(method, path, body) {
    const headers = { 'Content-Type': 'application/json' };
    if (csrf) headers['X-CSRF-Token'] = csrf;
    const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin' });
    const data = await r.json().catch(() => ({}));
    return { status: r.status, data };
  }

  function signedIn(data) {
    csrf = data.csrf;
    classes = data.classes || [];
    $('who').textContent = 'annotator: ' + data.annotator;
    $('login').hidden = true;
    $('desk').hidden = false;
    next();
  }

  async function start() {
    const r = await call('GET', '/api/session');
    if (r.status === 200) signedIn(r.data); else { $('login').hidden = false; $('login-token').focus(); }
  }

  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const r = await call('POST', '/api/login', { token: $('login-token').value });
    $('login-token').value = '';
    if (r.status === 200) signedIn(r.data); else $('login-error').textContent = r.data.error || 'login refused';
  });

  function li(text, prob) {
    const el = document.createElement('li');
    el.textContent = text;
    if (prob !== undefined) {
      const p = document.createElement('span');
      p.className = 'p';
      p.textContent = (100 * prob).toFixed(0) + '%';
      el.appendChild(p);
    }
    return el;
  }

  function renderOptions() {
    const guesses = current ? current.guesses.map((g) => g.className) : [];
    const q = $('search').value.trim().toLowerCase();
    const matches = q ? classes.filter((c) => c.toLowerCase().includes(q) && !guesses.includes(c)).slice(0, 9 - guesses.length) : [];
    options = guesses.concat(matches);
    $('choices').replaceChildren(...(current ? current.guesses.map((g) => li(g.className, g.probability)) : []));
    $('matches').start = guesses.length + 1;
    $('matches').replaceChildren(...matches.map((c) => li(c)));
    [...$('choices').children, ...$('matches').children].forEach((el, i) => el.addEventListener('click', () => choose(i)));
  }

  function show(req) {
    current = req;
    $('search').value = '';
    $('empty').hidden = !!req;
    $('image').hidden = !req;
    $('banner').hidden = !(req && req.correcting);
    $('recheck').hidden = !(req && req.reason === 'recheck');
    $('task').dataset.queryId = req ? req.queryId : '';
    $('task').dataset.imageId = req ? req.imageId : '';
    $('task').dataset.correcting = req && req.correcting ? 'true' : 'false';
    if (req) {
      $('image').src = '/api/image/' + encodeURIComponent(req.queryId);
      $('caption').textContent = req.imageId + ' · round ' + req.round;
    }
    $('why').replaceChildren(...(req ? req.why.map((w) => li(w)) : []));
    renderOptions();
    progress();
  }

  let waiting = null;
  async function next() {
    clearTimeout(waiting);
    const r = await call('POST', '/api/next');
    if (r.status !== 200) { $('status').textContent = r.data.error || 'error'; return; }
    show(r.data.request);
    // nothing open yet: ask again shortly; rounds arrive on their own schedule
    if (!r.data.request) waiting = setTimeout(next, 1000);
  }

  async function progress() {
    const r = await call('GET', '/api/progress');
    if (r.status !== 200) return;
    const p = r.data;
    $('progress').textContent = `round ${p.round}: ${p.labelledThisRound} labelled, ${p.remainingThisRound} remaining`
      + ` (${p.remaining} open in all)`;
    // the stopping rule paused the rounds: say so, and what opens them again
    $('paused').hidden = !p.paused;
    $('paused').textContent = p.paused ? 'Rounds are paused: successive models agree, so more labels would change little.'
      + (p.resumeAtImages > 0 ? ` They open again when the pool holds ${p.resumeAtImages} images,` : ' They open again')
      + ' or when an operator runs alvlm rounds resume.' : '';
    $('annotators').tBodies[0].replaceChildren(...p.annotators.map((a) => {
      const tr = document.createElement('tr');
      const agreement = a.agreement == null ? '–' : `${a.agreement.toFixed(2)} (${a.checked})`;
      [a.annotator, String(a.answers), a.secondsPerAnswer.toFixed(1), agreement].forEach((t) => {
        const td = document.createElement('td');
        td.textContent = t;
        tr.appendChild(td);
      });
      return tr;
    }));
  }

  async function answer(outcome, className) {
    if (!current || busy) return;
    busy = true;
    try {
      const r = await call('POST', '/api/answer', { queryId: current.queryId, outcome, className });
      $('status').textContent = r.status === 200 ? (outcome === 'LABELED' ? 'labelled ' + className : outcome.toLowerCase())
        : (r.data.error || r.data.message || 'error');
      await next();
    } finally {
      busy = false;
    }
  }

  function choose(i) {
    if (i < options.length) answer('LABELED', options[i]);
  }

  async function undo() {
    if (busy) return;
    busy = true;
    try {
      const r = await call('POST', '/api/undo');
      if (r.status === 200 && r.data.request) show(r.data.request); else $('status').textContent = 'nothing to undo';
    } finally {
      busy = false;
    }
  }

  document.addEventListener('keydown', (e) => {
    if ($('desk').hidden || e.ctrlKey || e.metaKey || e.altKey) return;
    if (document.activeElement === $('search')) {
      if (e.key === 'Enter') { e.preventDefault(); const guesses = current ? current.guesses.length : 0; $('search').blur(); choose(guesses); }
      else if (e.key === 'Escape') { $('search').value = ''; $('search').blur(); renderOptions(); }
      return;
    }
    if (e.key >= '1' && e.key <= '9') choose(Number(e.key) - 1);
    else if (e.key === 's') answer('SKIPPED');
    else if (e.key === 'n') answer('NONE_OF_THESE');
    else if (e.key === 'z') undo();
    else if (e.key === '/') { e.preventDefault(); $('search').focus(); }
    else return;
    e.preventDefault();
  });
  $('search').addEventListener('input', renderOptions);
  // the pool's notices (a pause, agreement) arrive on their own: refresh the panel now and then
  setInterval(() => { if (!$('desk').hidden) progress(); }, 3000);
  start();
})();
