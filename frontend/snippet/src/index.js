// Faro guidance snippet. One <script async src=".../faro.js" data-key="pk_..."> on the host page.
// Renders inside a Shadow DOM (no styles leak either way), makes one API request per page view,
// sends events only with consent, and never throws into the host page.
import { RageClicks, Repeats, OfferGate, plan, offerFor, RANK, COOLDOWN } from './core.js';
import { ui } from './ui.js';

(function () {
  const s = document.currentScript;
  if (!s || window.Faro?.ready) return;
  const d = s.dataset, set = window.faroSettings || {};
  const api = new URL('/api/v1/guidance/', s.src).href;
  const key = d.key || set.key;
  const ls = (() => { try { return localStorage; } catch { return null; } })();
  const ss = (() => { try { return sessionStorage; } catch { return null; } })();
  const get = (k) => ls?.getItem('faro:' + k), put = (k, v) => { try { ls?.setItem('faro:' + k, v); } catch {} };
  const rnd = () => Math.random().toString(36).slice(2) + Date.now().toString(36);
  const anon = get('anon') || (put('anon', rnd()), get('anon')) || rnd();
  const id = { identity: d.identity || set.identity || '', signature: d.signature || set.signature || '', traits: set.traits || null };
  let consent = d.consent === 'granted' || set.consent === true ? 'granted' : get('consent') || '';
  let cfg = null, mem = {}, memKey = '', queue = [], timer = 0, path = '', view;
  const gate = new OfferGate();

  const locale = () => (set.locale || d.locale || document.documentElement.lang || 'en').slice(0, 2).toLowerCase();
  const save = () => put(memKey, JSON.stringify(mem));
  const rec = (tip) => (mem[tip.id] = mem[tip.id]?.v === tip.version ? mem[tip.id] : { v: tip.version });
  const pause = (tip) => { if (RANK[tip.kind]) mem.$ = Date.now(); }; // starts the cool-down

  function send() {
    timer = 0;
    if (consent !== 'granted' || !queue.length) return;
    const body = JSON.stringify({ key, anon, consent: true, url: location.href.slice(0, 500), locale: locale(), identity: id.identity, signature: id.signature, events: queue.splice(0, 50) });
    const blob = new Blob([body], { type: 'text/plain' });
    if (!navigator.sendBeacon?.(api + 'events', blob)) fetch(api + 'events', { method: 'POST', body: blob, keepalive: true, credentials: 'omit' }).catch(() => {});
    if (queue.length) send();
  }
  function track(type, extra) {
    if (consent === 'denied') return;
    queue.push({ type, url: location.href.slice(0, 500), ...extra });
    if (!consent) { if (!ss?.getItem('faro:later')) view?.askConsent(); } // not again after "ask me later"
    else if (!timer) timer = setTimeout(send, 1000);
  }
  function setConsent(ok) {
    consent = ok ? 'granted' : 'denied';
    put('consent', consent);
    if (ok) send(); else queue = [];
  }

  // The tips' lifecycle, reported by the UI.
  const on = {
    shown(tip) { const r = rec(tip); r.at = Date.now(); pause(tip); save(); track('shown', { tip: tip.id, version: tip.version }); },
    clicked(tip) { track('clicked', { tip: tip.id }); },
    dismissed(tip) { rec(tip).x = 1; pause(tip); save(); track('dismissed', { tip: tip.id }); },
    step(tip, i) { rec(tip).s = i; save(); track('step', { tip: tip.id, step: i }); },
    done(tip) { const r = rec(tip); r.d = 1; pause(tip); save(); track('completed', { tip: tip.id }); },
    check(tip, items) { rec(tip).k = items; save(); },
    searched(q, n) {
      track('search', { detail: String(q || '').slice(0, 200), results: n });
      if (detect.search.hit('s', Date.now())) fire('repeat_search', q);
    },
    opened(title) { track('opened', { detail: String(title || '').slice(0, 200) }); detect.search.reset('s'); },
    later() { try { ss?.setItem('faro:later', '1'); } catch {} },
    flush() { clearTimeout(timer); send(); }, // before a request to a person: the journey first
    consent: setConsent,
  };

  async function load() {
    path = location.pathname + location.search;
    gate.reset();
    view?.clear();
    const q = new URLSearchParams({ key, url: location.pathname + location.search, locale: locale() });
    if (id.identity) { q.set('identity', id.identity); q.set('signature', id.signature); }
    else if (id.traits) q.set('traits', JSON.stringify(id.traits));
    let r;
    try { r = await fetch(api + 'page?' + q, { credentials: 'omit' }); } catch { return; }
    if (!r.ok) { console.warn('[faro]', r.status, (await r.json().catch(() => ({}))).error || ''); return; }
    cfg = await r.json();
    memKey = 'mem:' + key + ':' + (cfg.identity.user || set.userId || 'anon');
    try { mem = JSON.parse(get(memKey) || '{}'); } catch { mem = {}; }
    const th = cfg.frustration.thresholds;
    detect.rage = new RageClicks(th.rage_clicks, th.rage_window_ms);
    detect.err = new Repeats(th.errors, 60e3);
    detect.form = new Repeats(th.form_failures, 300e3);
    detect.search = new Repeats(th.searches, 300e3);
    view = view || ui({ api, key, cfg: () => cfg, on, consent: () => consent, anon, id });
    view.launcher();
    if (consent === 'granted') track('page', {});
    // One thing at a time: the consent question first, then at most one tip (or the tour).
    const tips = () => {
      const p = plan(cfg.tips, mem, Date.now(), set.cooldown != null ? set.cooldown * 1e3 : COOLDOWN);
      if (p.lead) view.show(p.lead, mem[p.lead.id]);
      if (p.checklist) view.show(p.checklist, mem[p.checklist.id], !!p.lead || innerWidth < 640);
    };
    if (!consent && !ss?.getItem('faro:later')) view.askConsent(tips);
    else tips();
  }

  // Frustration ("dark feedback"): observed only; an offer at most once per page view.
  const detect = {};
  function fire(signal, detail, el) {
    if (!cfg || !cfg.frustration.enabled) return;
    track('frustration', { signal, detail: String(detail || '').slice(0, 200) });
    if (!gate.take()) return;
    const at = (sel) => { try { return !!el?.closest?.(sel); } catch { return false; } };
    const tip = offerFor(cfg.tips, signal, mem, Date.now(), at);
    track('offer', { signal, ...(tip ? { tip: tip.id } : {}) });
    view.offer(tip, signal, detail);
  }
  const label = (el) => (el.getAttribute?.('aria-label') || el.textContent || el.name || el.id || el.tagName || '').trim().slice(0, 80);
  addEventListener('click', (e) => {
    const t = e.target;
    if (!detect.rage || !t || view?.owns(t)) return;
    if (detect.rage.click(t, e.timeStamp)) fire('rage_click', label(t), t);
  }, true);
  addEventListener('error', (e) => { if (detect.err?.hit('e', Date.now())) fire('js_error', e.message); });
  addEventListener('unhandledrejection', () => { if (detect.err?.hit('e', Date.now())) fire('js_error', 'unhandled rejection'); });
  let lastInvalid = 0;
  addEventListener('invalid', (e) => {
    const now = Date.now(), form = e.target.form;
    if (now - lastInvalid < 300) return; // one failed submit fires `invalid` once per field
    lastInvalid = now;
    const k = form?.id || form?.getAttribute('name') || form?.action || 'form';
    const name = form?.getAttribute('aria-label') || form?.getAttribute('name') || form?.id;
    if (detect.form?.hit(k, now)) fire('form_failure', name || label(e.target), form || e.target);
  }, true);

  // SPA navigation: the History API, patched without changing its behaviour.
  for (const m of ['pushState', 'replaceState']) {
    const orig = history[m];
    history[m] = function () { const r = orig.apply(this, arguments); queueMicrotask(changed); return r; };
  }
  addEventListener('popstate', changed);
  function changed() { if (location.pathname + location.search !== path) load(); }
  addEventListener('pagehide', send);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && send());

  window.Faro = {
    ready: true,
    open: (q) => view?.open(q),
    consent: setConsent,
    identify(o) { Object.assign(id, o || {}); load(); },
    signal(name, detail) {
      if (!detect.form) return;
      if (name === 'form_failure' && detect.form.hit(String(detail || 'form'), Date.now())) fire(name, detail);
      if (name === 'search') on.searched(detail);
      if (name === 'result_opened') on.opened();
    },
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', load, { once: true });
  else load();
})();
