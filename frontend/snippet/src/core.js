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

// Frequency caps. mem: {tip id: {v: version, at: last shown ms, x: dismissed, d: done, s: step}}
export function shouldShow(tip, mem, now) {
  const r = mem[tip.id];
  if (!r || r.v !== tip.version) return true; // new, or the content/article changed
  if (r.d) return false;
  if (tip.kind === 'tour' && 's' in r && !r.x) return true; // a tour in progress goes on
  const f = tip.frequency || {};
  if (f.mode === 'once') return !r.at;
  if (f.mode === 'every_n_days') return !r.at || now - r.at >= (f.days || 1) * DAY;
  return !r.x; // until_dismissed
}

// One thing at a time: which kind interrupts first, and the pause between two interruptions.
export const RANK = { tour: 4, modal: 3, tooltip: 2, banner: 1 };
export const COOLDOWN = 30e3;
const resuming = (t, mem) => t.kind === 'tour' && mem[t.id]?.v === t.version && 's' in mem[t.id];

// The page view's plan: at most one interruptive tip (a tour being resumed first, then by kind,
// then by the editors' priority; none within `cooldown` ms of the last one, unless resuming) and
// the checklist, which waits quietly in a corner. Frustration tips wait for their signal.
export function plan(tips, mem, now, cooldown = COOLDOWN) {
  let lead = null, checklist = null;
  const score = (t) => [resuming(t, mem) ? 1 : 0, RANK[t.kind] || 0, t.priority];
  const better = (a, b) => { const x = score(a), y = score(b); return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]; };
  for (const t of tips) {
    if (t.trigger === 'frustration' || !shouldShow(t, mem, now)) continue;
    if (t.kind === 'checklist') { if (!checklist || t.priority > checklist.priority) checklist = t; continue; }
    if (!resuming(t, mem) && mem.$ && now - mem.$ < cooldown) continue;
    if (!lead || better(t, lead) > 0) lead = t;
  }
  return { lead, checklist };
}

// The frustration tip answering `signal` where it happened: `at(selector)` tells whether the
// element the user struggled with is (inside) the tip's element; a tip for that element beats a
// general one. The page is already matched by the server (URL patterns).
export function offerFor(tips, signal, mem, now, at = () => false) {
  const fits = (t) => t.trigger === 'frustration' && (!t.signal || t.signal === signal) && (!t.selector || at(t.selector)) && shouldShow(t, mem, now);
  return tips.filter(fits).sort((a, b) => !!b.selector - !!a.selector || b.priority - a.priority)[0];
}

// Place a box of size `s` next to rect `a` in viewport `vp`: the first side (below, above, right,
// left) that fits and covers the least of the host's controls (`avoid`: their rects).
export function place(a, s, vp, gap = 10, avoid = []) {
  const mid = a.left + a.width / 2 - s.width / 2, midY = a.top + a.height / 2 - s.height / 2;
  const clampX = (x) => Math.max(8, Math.min(x, vp.width - s.width - 8));
  const clampY = (y) => Math.max(8, Math.min(y, vp.height - s.height - 8));
  const sides = {
    bottom: [a.top + a.height + gap, clampX(mid)],
    top: [a.top - gap - s.height, clampX(mid)],
    right: [clampY(midY), a.left + a.width + gap],
    left: [clampY(midY), a.left - gap - s.width],
  };
  const fits = ([t, l]) => t >= 0 && t + s.height <= vp.height && l >= 0 && l + s.width <= vp.width;
  const span = (x, w, y, v) => Math.max(0, Math.min(x + w, y + v) - Math.max(x, y));
  const cost = ([t, l]) => avoid.reduce((n, o) => n + span(l, s.width, o.left, o.width) * span(t, s.height, o.top, o.height), 0);
  let side = 'bottom', best = Infinity;
  for (const k of Object.keys(sides)) {
    const c = fits(sides[k]) ? cost(sides[k]) : Infinity;
    if (c < best) { best = c; side = k; }
  }
  const [top, left] = sides[side];
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
  if (f.answer) { p.answer = f.answer; p.question = f.question || ''; } // the card that did not help
  return p;
}

// The email inside the host's signed identity (base64url JSON {id, traits}), if any: then the
// form need not ask for one. Only used once the server has said the signature is valid.
export function signedEmail(token) {
  try { return JSON.parse(atob(token.replace(/-/g, '+').replace(/_/g, '/'))).traits?.email || ''; } catch { return ''; }
}
