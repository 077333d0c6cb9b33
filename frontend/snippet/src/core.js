// Pure logic, no DOM: frustration detectors, frequency caps, tooltip placement.
// Unit-tested with `node --test` (test/core.test.js).

// Clicks on the same element, `count` within `windowMs`: fires once per burst.
export class RageClicks {
  constructor(count, windowMs) { this.n = count; this.w = windowMs; this.el = null; this.ts = []; this.fired = false; }
  click(target, t) {
    if (target !== this.el) { this.el = target; this.ts = []; this.fired = false; }
    this.ts = this.ts.filter((x) => t - x <= this.w);
    this.ts.push(t);
    if (this.ts.length >= this.n && !this.fired) { this.fired = true; return true; }
    return false;
  }
}

// `count` occurrences of the same key within `windowMs` (errors, one form failing, searches).
export class Repeats {
  constructor(count, windowMs) { this.n = count; this.w = windowMs; this.seen = new Map(); this.fired = new Set(); }
  hit(key, t) {
    const ts = (this.seen.get(key) || []).filter((x) => t - x <= this.w);
    ts.push(t);
    this.seen.set(key, ts);
    if (ts.length >= this.n && !this.fired.has(key)) { this.fired.add(key); return true; }
    return false;
  }
  reset(key) { this.seen.delete(key); this.fired.delete(key); }
}

// At most one unsolicited offer per page view (reset on SPA navigation).
export class OfferGate {
  constructor() { this.used = false; }
  take() { if (this.used) return false; this.used = true; return true; }
  reset() { this.used = false; }
}

const DAY = 864e5;

// Frequency caps. mem: {tip id: {v: version, at: last shown ms, x: dismissed, d: done}}
export function shouldShow(tip, mem, now) {
  const r = mem[tip.id];
  if (!r || r.v !== tip.version) return true; // new, or the content/article changed
  if (r.d) return false;
  const f = tip.frequency || {};
  if (f.mode === 'once') return !r.at;
  if (f.mode === 'every_n_days') return !r.at || now - r.at >= (f.days || 1) * DAY;
  return !r.x; // until_dismissed
}

// Which tips to show now: tooltips all, one banner, one of modal/tour; frustration ones wait.
export function pick(tips, mem, now) {
  const out = [];
  let banner = false, takeover = false;
  for (const t of [...tips].sort((a, b) => b.priority - a.priority)) {
    if (t.trigger === 'frustration' || !shouldShow(t, mem, now)) continue;
    if (t.kind === 'banner') { if (banner) continue; banner = true; }
    if (t.kind === 'modal' || t.kind === 'tour') { if (takeover) continue; takeover = true; }
    out.push(t);
  }
  return out;
}

// The frustration tip answering `signal`, if editors made one.
export function offerFor(tips, signal, mem, now) {
  return [...tips].sort((a, b) => b.priority - a.priority)
    .find((t) => t.trigger === 'frustration' && (!t.signal || t.signal === signal) && shouldShow(t, mem, now));
}

// Place a box of size `s` next to rect `a` in viewport `vp`: below, else above, clamped.
export function place(a, s, vp, gap = 10) {
  let side = 'bottom';
  let top = a.top + a.height + gap;
  if (top + s.height > vp.height && a.top - gap - s.height >= 0) { side = 'top'; top = a.top - gap - s.height; }
  let left = a.left + a.width / 2 - s.width / 2;
  left = Math.max(8, Math.min(left, vp.width - s.width - 8));
  const visible = a.bottom > 0 && a.top < vp.height && a.width + a.height > 0;
  return { top: Math.round(top), left: Math.round(left), side, visible };
}

// The launcher's contact form → the support API's JSON body. The product context (this page's
// address, the tips seen, where the user seemed stuck) goes only with consent, and not when the
// customer leaves it out; the host's signed identity is passed on exactly as the host signed it.
export const CONTEXT_PARTS = ['tips', 'signals', 'product_page', 'page_url'];
export function contactPayload(f) {
  const p = { message: f.message.trim(), email: f.email.trim(), app_key: f.key, anonymous_id: f.anon, consent: !!f.consent, locale: f.locale, entry_point: 'launcher' };
  if (f.consent && !f.leaveOut) p.page_url = f.url.slice(0, 500);
  if (f.consent && f.leaveOut) p.remove = CONTEXT_PARTS;
  if (f.identity) { p.identity = f.identity; p.identity_signature = f.signature; }
  return p;
}

// The email inside the host's signed identity (base64url JSON {id, traits}), if any: then the
// form need not ask for one. Only used once the server has said the signature is valid.
export function signedEmail(token) {
  try { return JSON.parse(atob(token.replace(/-/g, '+').replace(/_/g, '/'))).traits?.email || ''; } catch { return ''; }
}
