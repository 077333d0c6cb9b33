// Rendering inside one shadow root: tips (tooltip, banner, modal, checklist, tour), the launcher
// panel, the "need a hand?" offer and the consent question. Styles come from a constructable
// stylesheet and the CSSOM, so a strict CSP needs no 'unsafe-inline'.
import css from './css.js';
import { place, contactPayload, signedEmail } from './core.js';

function h(tag, props, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'html') el.innerHTML = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  el.append(...kids.flat().filter((x) => x != null && x !== false));
  return el;
}

// A <faro-guidance> element with its own shadow root and the widget's stylesheet.
function shadow(attr) {
  const host = h('faro-guidance', { [attr]: '' });
  const root = host.attachShadow({ mode: 'open' });
  try { const sh = new CSSStyleSheet(); sh.replaceSync(css); root.adoptedStyleSheets = [sh]; }
  catch { root.append(h('style', {}, css)); }
  const w = h('div', { class: 'w' });
  root.append(w);
  return { host, root, w };
}

export function ui({ api, key, cfg, on, consent, anon, id }) {
  // Floating layers live at the end of the body; banners at its start, in the flow, so they push
  // the host's content down instead of covering its navigation.
  const { host, root, w } = shadow('data-faro');
  const top = shadow('data-faro-banner');
  document.body.append(host);
  const t = (k) => cfg().i18n[k] || k;
  let uid = 0, follows = new Set(), stop = [], stack = [], panel, btn, asked = 0, later = null, pending = null;

  // Anchored cards follow their element on scroll and resize (one rAF per frame at most).
  let raf = 0;
  const reflow = () => { raf = 0; follows.forEach((f) => f()); };
  const schedule = () => { raf = raf || requestAnimationFrame(reflow); };
  addEventListener('scroll', schedule, { capture: true, passive: true });
  addEventListener('resize', schedule, { passive: true });
  // The host's controls near a card: it should not cover them (the anchor and its ancestors aside).
  const controls = (anchor) => [...document.querySelectorAll('button,input,select,textarea,a[href],[role=button]')]
    .slice(0, 300).filter((o) => !o.contains(anchor) && !anchor.contains(o)).map((o) => o.getBoundingClientRect());
  function follow(card, anchor, spot) {
    const arrow = h('span', { class: 'ar' });
    card.prepend(arrow);
    if (spot) w.insertBefore(spot, card);
    const f = () => {
      if (!anchor.isConnected) { card.hidden = true; if (spot) spot.hidden = true; return; }
      const a = anchor.getBoundingClientRect();
      const p = place(a, { width: card.offsetWidth, height: card.offsetHeight }, { width: innerWidth, height: innerHeight }, 10, controls(anchor));
      card.hidden = !p.visible;
      card.style.top = p.top + 'px';
      card.style.left = p.left + 'px';
      card.className = card.className.replace(/ (top|bottom|left|right)\b/g, '') + ' ' + p.side;
      const across = p.side === 'top' || p.side === 'bottom';
      arrow.style.left = across ? Math.max(10, Math.min(a.left + a.width / 2 - p.left - 6, card.offsetWidth - 22)) + 'px' : '';
      arrow.style.top = across ? '' : Math.max(10, Math.min(a.top + a.height / 2 - p.top - 6, card.offsetHeight - 22)) + 'px';
      if (spot) {
        spot.hidden = !p.visible;
        Object.assign(spot.style, { top: a.top - 4 + 'px', left: a.left - 4 + 'px', width: a.width + 8 + 'px', height: a.height + 8 + 'px' });
      }
    };
    follows.add(f);
    card._unfollow = () => { follows.delete(f); spot?.remove(); };
    f();
  }
  // Single-page apps render late: wait for the element (MutationObserver), give up after `ms`.
  function waitFor(sel, cb, ms = 30000, gone) {
    let el; try { el = document.querySelector(sel); } catch { return; }
    if (el) return cb(el);
    const mo = new MutationObserver(() => { const e = document.querySelector(sel); if (e) { end(); cb(e); } });
    mo.observe(document.documentElement, { childList: true, subtree: true });
    const tm = setTimeout(() => { end(); gone?.(); }, ms);
    const end = () => { mo.disconnect(); clearTimeout(tm); };
    stop.push(end);
  }
  function close(card) {
    card._unfollow?.();
    card._ov?.remove();
    card.remove();
    stack = stack.filter((c) => c !== card);
    if (card._restore?.isConnected) card._restore.focus();
  }
  function card(cls, tip, label, ...kids) {
    const id = 'f' + ++uid;
    const c = h('div', { class: 'c ' + cls, role: 'dialog', 'aria-labelledby': id, 'data-tip': tip?.id, 'data-kind': tip?.kind || cls },
      h('h2', { id }, label), ...kids);
    c.append(h('button', { class: 'x', 'aria-label': t('dismiss'), onclick: () => c._dismiss() }, '×'));
    c._dismiss = () => { close(c); if (tip) on.dismissed(tip); };
    stack.push(c);
    w.append(c);
    return c;
  }
  const body = (html) => (html ? h('div', { html }) : null);
  function linkOf(tip) {
    const l = tip.link;
    if (!l) return null;
    if (l.url) return h('a', { class: 'b', href: l.url, target: '_blank', rel: 'noopener', onclick: () => on.clicked(tip) }, l.label);
    return h('button', { class: 'b', onclick: () => { on.clicked(tip); open(l.search, true); } }, l.label);
  }
  function modal(c) {
    c.setAttribute('aria-modal', 'true');
    c._ov = h('div', { class: 'ov' });
    w.insertBefore(c._ov, c);
    c._restore = document.activeElement;
    c.addEventListener('keydown', (e) => { // keep Tab inside the dialog
      if (e.key !== 'Tab') return;
      const f = [...c.querySelectorAll('a,button,input')];
      const i = f.indexOf(root.activeElement);
      if (e.shiftKey ? i <= 0 : i === f.length - 1) { e.preventDefault(); f[e.shiftKey ? f.length - 1 : 0].focus(); }
    });
    (c.querySelector('.b') || c.querySelector('button')).focus();
  }

  const render = {
    tooltip(tip) {
      waitFor(tip.selector, (el) => {
        const c = card('tt', tip, tip.title, body(tip.body), h('div', { class: 'r' }, linkOf(tip)));
        c.setAttribute('aria-modal', 'false');
        follow(c, el);
        on.shown(tip);
      });
    },
    banner(tip) {
      const c = card('bn', tip, tip.title, body(tip.body), h('div', { class: 'r' }, linkOf(tip)));
      c.setAttribute('role', 'region');
      c.setAttribute('aria-label', tip.title);
      top.w.append(c);
      if (!top.host.isConnected) document.body.prepend(top.host);
      on.shown(tip);
    },
    modal(tip) {
      const c = card('md', tip, tip.title, body(tip.body),
        h('div', { class: 'r' }, linkOf(tip), h('button', { class: 'b2', onclick: () => c._dismiss() }, t('close'))));
      modal(c);
      on.shown(tip);
    },
    checklist(tip, r, mini) {
      const done = new Set(r?.k || []);
      const boxes = tip.steps.map((s, i) => h('label', {},
        h('input', { type: 'checkbox', checked: done.has(i), onchange: (e) => {
          e.target.checked ? done.add(i) : done.delete(i);
          on.check(tip, [...done]);
          on.step(tip, i);
          if (done.size === tip.steps.length) { on.done(tip); close(c); }
        } }),
        h('span', {}, s.title, body(s.body))));
      const c = card('ck', tip, tip.title, body(tip.body), ...boxes);
      // Folded into a small "Get started 1/3" button (on phones, or while something else is up).
      const count = () => `${tip.title} ${done.size}/${tip.steps.length}`;
      const pill = h('button', { class: 'c ck pl', 'aria-expanded': 'false', 'data-kind': 'checklist-toggle', onclick: () => fold(false) }, count());
      const fold = (f) => { c.hidden = f; pill.hidden = !f; pill.textContent = count(); if (!f) c.querySelector('input')?.focus(); };
      c.append(h('button', { class: 'b2 fd', 'aria-label': t('hide'), onclick: () => { fold(true); pill.focus(); } }, '–'));
      w.append(pill);
      c._fold = fold;
      c._unfollow = () => pill.remove();
      fold(!!mini);
      on.shown(tip);
    },
    tour(tip, r) {
      if (!(r && 's' in r)) on.shown(tip);
      step(tip, Math.min(r?.s || 0, tip.steps.length - 1));
    },
  };
  // One tour step: its text, a spotlight on its element, Back/Next. Keyboard focus moves only when
  // the user moves through the tour, never on page load. A step whose element is on another page
  // (or never comes) pauses the tour there; it resumes on the page where the element appears.
  function step(tip, i, focus) {
    const s = tip.steps[i], n = tip.steps.length;
    const go = (j) => { close(c); if (j >= n) on.done(tip); else { on.step(tip, j); step(tip, j, true); } };
    const c = card(s.selector ? 'tr' : 'md tr', tip, s.title, body(s.body),
      h('div', { class: 'r' },
        h('span', { class: 'n' }, t('step').replace('%(n)s', i + 1).replace('%(total)s', n)),
        i > 0 && h('button', { class: 'b2', onclick: () => go(i - 1) }, t('back')),
        h('button', { class: 'b', onclick: () => go(i + 1) }, i === n - 1 ? t('done') : t('next'))));
    c.setAttribute('data-step', i);
    const focusNext = () => focus && c.querySelector('.b').focus();
    if (s.selector) {
      c.hidden = true;
      waitFor(s.selector, (el) => {
        c.hidden = false;
        follow(c, el, h('div', { class: 'sp', 'aria-hidden': 'true' }));
        el.scrollIntoView?.({ block: 'nearest' });
        focusNext();
      }, 5000, () => close(c));
    } else focusNext();
  }
  function show(tip, r, mini) {
    const go = () => render[tip.kind]?.(tip, r, mini);
    if (tip.trigger === 'delay') { const tm = setTimeout(go, tip.delay * 1000); stop.push(() => clearTimeout(tm)); }
    else if (tip.trigger === 'element' && tip.kind !== 'tooltip') waitFor(tip.selector, go);
    else go();
  }

  // The launcher: search pre-filled from the page, suggested articles, and a person to talk to.
  function launcher() {
    if (btn) return;
    btn = h('button', { class: 'c lb', 'aria-expanded': 'false', 'aria-haspopup': 'dialog', onclick: () => (panel ? closePanel() : open()) }, '? ' + t('help'));
    w.append(btn);
  }
  function humanUrl() {
    return cfg().launcher.human_url + '&page=' + encodeURIComponent(location.href);
  }
  function closePanel() {
    if (!panel) return;
    close(panel);
    panel = null;
    btn.setAttribute('aria-expanded', 'false');
    btn.focus();
  }
  function open(q, run, contact) {
    if (panel) closePanel();
    const id = 'f' + ++uid, c = cfg();
    const input = h('input', { type: 'search', 'aria-label': t('search'), value: q || c.launcher.context || document.querySelector('h1')?.textContent?.trim() || document.title });
    const out = h('div', { 'aria-live': 'polite' });
    const search = async (e) => {
      e?.preventDefault();
      const query = input.value.trim();
      if (!query) return;
      out.replaceChildren(h('p', {}, t('searching')));
      try {
        const r = await fetch(api + 'search?' + new URLSearchParams({ key, q: query, locale: c.locale }), { credentials: 'omit' });
        const data = await r.json();
        if (r.ok) on.searched(query, data.hits?.length || 0);
        out.replaceChildren(data.answer ? answerCard(data.answer, data.query_id, query) : '', data.hits?.length
          ? h('ul', { 'aria-label': t('search') }, data.hits.map((x) => h('li', {},
            h('a', { href: x.url, target: '_blank', rel: 'noopener', onclick: () => on.opened(x.title) }, x.title), body(x.snippet))))
          : h('p', {}, data.error || t('no_results')));
      } catch { out.replaceChildren(h('p', {}, t('no_results'))); }
    };
    // The answer card: a quote from a public article (text only), its source, Yes / "No, talk to
    // a person" (which opens the form below with the question and the card carried along).
    const verdict = (qid, helpful) => fetch(api + 'answer-feedback', { method: 'POST', credentials: 'omit',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ key, query_id: qid, helpful }) }).catch(() => {});
    const answerCard = (a, qid, query) => {
      const ask = h('div', { class: 'r', role: 'group', 'aria-label': t('answer_helped') }, h('span', { class: 'n' }, t('answer_helped')),
        h('button', { class: 'b2', type: 'button', 'data-answer-yes': '', onclick: () => { verdict(qid, true); ask.replaceWith(h('p', { role: 'status', 'data-answer-thanks': '' }, t('thanks'))); } }, t('yes')),
        h('button', { class: 'b', type: 'button', 'data-answer-no': '', onclick: () => { verdict(qid, false); talk({ query, answer: a }); } }, t('answer_no')));
      return h('section', { class: 'an', 'aria-label': t('answer'), 'data-answer': '' },
        h('blockquote', {}, a.text),
        h('p', {}, h('a', { href: a.url, target: '_blank', rel: 'noopener' }, a.title + (a.heading ? ' › ' + a.heading : '')),
          a.last_reviewed ? ' · ' + t('reviewed').replace('%(date)s', a.last_reviewed) : ''),
        a.caveat ? h('p', { class: 'cv', 'data-answer-caveat': '' }, t(a.caveat)) : null,
        h('p', { class: 'n' }, t('answer_why')), ask);
    };
    // "Talk to a person" swaps the panel's content for a short form (Escape or Back returns).
    let form;
    const human = h('button', { class: 'b', type: 'button', 'data-human': '', onclick: () => talk() }, t('human'));
    const main = h('div', {}, consentRow(),
      h('form', { role: 'search', onsubmit: search }, input, h('button', { class: 'b', type: 'submit' }, t('search').split(' ')[0])),
      out,
      c.articles.length ? [h('h3', {}, t('suggested')), h('ul', {}, c.articles.map((a) => h('li', {}, h('a', { href: a.url, target: '_blank', rel: 'noopener' }, a.title))))] : null,
      h('p', { class: 'r' }, h('a', { class: 'b2', href: humanUrl(), target: '_blank', rel: 'noopener', 'data-more': '' }, t('more')), human));
    const back = () => { form.hidden = true; main.hidden = false; panel._back = null; human.focus(); };
    const talk = (carry) => {
      if (!form || form._sent || carry) { form?.remove(); form = contactForm(back, carry); panel.append(form); }
      main.hidden = true;
      form.hidden = false;
      panel._back = back;
      form.querySelector('textarea')?.focus();
    };
    panel = h('div', { class: 'c pn', role: 'dialog', 'aria-labelledby': id, 'data-kind': 'launcher' },
      h('h2', { id }, t('help')),
      h('button', { class: 'x', 'aria-label': t('close'), onclick: closePanel }, '×'),
      main);
    panel._restore = btn;
    stack.push(panel);
    w.append(panel);
    w.querySelector('.ck:not(.pl)')?._fold?.(true); // the corner is the launcher's now
    btn.setAttribute('aria-expanded', 'true');
    if (contact) return talk();
    input.focus();
    input.select();
    if (run) search();
  }
  function contactForm(back, carry) {
    const c = cfg(), n = ++uid, shared = consent() === 'granted';
    const mine = c.identity.signed ? signedEmail(id.identity) : '';
    const idem = crypto.randomUUID?.() || Math.random().toString(36).slice(2) + Date.now().toString(36);
    const msg = h('textarea', { id: 'm' + n, rows: 4, maxlength: 5000, required: true });
    const a = carry?.answer;
    if (carry) msg.value = carry.query;
    const mail = h('input', { id: 'e' + n, type: 'email', autocomplete: 'email', required: !mine, value: mine || null });
    const leave = shared ? h('input', { type: 'checkbox' }) : null;
    const err = h('p', { class: 'er', role: 'alert' });
    const send = h('button', { class: 'b', type: 'submit' }, t('send'));
    const f = h('form', { class: 'cf', novalidate: true, 'data-contact': '', onsubmit: submit },
      h('h3', {}, t('human')),
      a && h('div', { class: 'an', 'data-shown-answer': '' }, h('p', { class: 'n' }, t('answer_shown')), h('blockquote', {}, a.text), h('p', {}, a.title)),
      h('label', { for: msg.id }, t('message')), msg,
      h('label', { for: mail.id }, t('email')), mail,
      h('p', { class: 'n' }, t(shared ? 'share' : 'share_none')),
      leave && h('label', { class: 'lo' }, leave, t('leave_out')),
      err,
      h('div', { class: 'r' }, h('button', { class: 'b2', type: 'button', onclick: back }, t('back')), send));
    async function submit(e) {
      e.preventDefault();
      if (send.disabled) return;
      const p = contactPayload({ key, anon, consent: shared, leaveOut: leave?.checked, message: msg.value, email: mail.value,
        locale: c.locale, url: location.href, identity: id.identity, signature: id.signature, answer: a?.ref, question: carry?.query });
      const miss = !p.message ? [msg, 'need_message'] : !p.email && !mine ? [mail, 'need_email'] : null;
      if (miss) { err.textContent = t(miss[1]); miss[0].focus(); return; }
      err.textContent = '';
      on.flush();
      send.disabled = true;
      send.textContent = t('sending');
      try {
        const r = await fetch(new URL('../support/requests', api), { method: 'POST', credentials: 'omit',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idem }, body: JSON.stringify(p) });
        const data = await r.json().catch(() => ({}));
        if (!r.ok) throw data.error || t('send_error');
        const link = h('a', { class: 'b', href: new URL(data.status_url, api).href, target: '_blank', rel: 'noopener' }, t('status'));
        f._sent = 1;
        f.replaceChildren(h('div', { role: 'status', 'data-sent': data.reference }, h('p', {}, t('sent').replace('%(ref)s', data.reference)),
          h('p', { class: 'r' }, h('button', { class: 'b2', type: 'button', onclick: back }, t('back')), link)));
        link.focus();
      } catch (x) {
        err.textContent = typeof x === 'string' ? x : t('send_error'); // the typed text stays
      } finally { send.disabled = false; send.textContent = t('send'); }
    }
    return f;
  }
  function consentRow() {
    if (consent()) return null;
    const row = h('div', { class: 'cs', 'data-consent': '' }, h('p', {}, t('consent')),
      h('div', { class: 'r' },
        h('button', { class: 'b2', onclick: () => { on.consent(false); row.remove(); } }, t('deny')),
        h('button', { class: 'b', onclick: () => { on.consent(true); row.remove(); } }, t('allow'))));
    return row;
  }
  // The consent question comes first, alone; `then` runs once it is answered or put off (×).
  function askConsent(then) {
    if (then) later = then;
    if (asked++ || consent()) return;
    const row = consentRow();
    const c = h('div', { class: 'c of', role: 'region', 'aria-label': t('help'), 'data-kind': 'consent' }, row,
      h('button', { class: 'x', 'aria-label': t('later'), onclick: () => { on.later(); done(); } }, '×'));
    const done = () => { c.remove(); const f = later; later = null; f?.(); pending?.(); pending = null; };
    row.addEventListener('click', (e) => e.target.tagName === 'BUTTON' && done());
    w.append(c);
  }
  const talkTo = (c) => h('button', { class: 'b2', onclick: () => { close(c()); open('', false, true); } }, t('human'));
  // "Need a hand?" where the user struggled: the editors' tip for that element or page, else a
  // sentence naming what they clicked. It waits for the consent question; not over the launcher.
  function offer(tip, signal, detail) {
    if (w.querySelector('[data-kind=consent]')) { pending = () => offer(tip, signal, detail); return; }
    if (panel) return;
    w.querySelector('.ck:not(.pl)')?._fold?.(true);
    if (tip) {
      const c = card('of', tip, tip.title, body(tip.body), h('div', { class: 'r' }, linkOf(tip), talkTo(() => c)));
      c.setAttribute('data-offer', signal);
      on.shown(tip);
      return;
    }
    const what = signal === 'js_error' ? '' : detail;
    const say = (k) => t(k).replace('%(what)s', what);
    const c = card('of', null, t('stuck'), h('p', {}, what ? say('stuck_on') : t('stuck_body')),
      h('div', { class: 'r' },
        talkTo(() => c),
        h('button', { class: 'b', onclick: () => { close(c); open(what, !!what); } }, what ? say('help_with') : t('get_help'))));
    c.setAttribute('data-offer', signal);
  }

  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !stack.length) return;
    const c = stack[stack.length - 1];
    if (c !== panel) c._dismiss();
    else if (panel._back) panel._back();
    else closePanel();
  });

  return {
    host, show, launcher, open, offer, askConsent,
    owns: (el) => el === host || el === top.host,
    clear() {
      stop.forEach((f) => f()); stop = [];
      [...stack].forEach((c) => c !== panel && close(c));
      pending = null;
    },
  };
}
