import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RageClicks, Repeats, OfferGate, shouldShow, plan, offerFor, place, COOLDOWN } from '../src/core.js';

test('rage clicks: 4 fast clicks on one element fire once', () => {
  const r = new RageClicks(4, 1200), el = {};
  assert.deepEqual([0, 150, 300, 450, 600, 750].map((t) => r.click(el, t)), [false, false, false, true, false, false]);
});

test('rage clicks: normal use (double clicks, slow clicks, different elements) never fires', () => {
  const r = new RageClicks(4, 1200), a = {}, b = {};
  const seq = [[a, 0], [a, 120], [b, 2000], [a, 2100], [b, 2200], [a, 2300], [a, 5000], [a, 6500], [a, 8000]];
  assert.equal(seq.some(([el, t]) => r.click(el, t)), false);
});

test('repeats: third error within a minute fires once; old ones expire', () => {
  const e = new Repeats(3, 60000);
  assert.deepEqual([0, 70000, 140000].map((t) => e.hit('e', t)), [false, false, false]);
  assert.deepEqual([200000, 210000, 220000, 230000].map((t) => e.hit('e', t)), [false, false, true, false]);
});

test('repeats: different forms are counted apart, reset clears', () => {
  const f = new Repeats(3, 300000);
  f.hit('a', 1); f.hit('b', 2); f.hit('a', 3);
  assert.equal(f.hit('b', 4), false);
  assert.equal(f.hit('a', 5), true);
  const s = new Repeats(3, 300000);
  s.hit('s', 1); s.hit('s', 2); s.reset('s');
  assert.equal(s.hit('s', 3), false);
});

test('offer gate: one unsolicited offer per page view', () => {
  const g = new OfferGate();
  assert.equal(g.take(), true);
  assert.equal(g.take(), false);
  g.reset();
  assert.equal(g.take(), true);
});

const tip = (over) => ({ id: 1, kind: 'tooltip', version: 'v1', priority: 0, trigger: 'page_load', frequency: { mode: 'until_dismissed', days: 7 }, ...over });
const DAY = 864e5;

test('frequency caps', () => {
  const now = 100 * DAY;
  assert.equal(shouldShow(tip(), {}, now), true);
  assert.equal(shouldShow(tip(), { 1: { v: 'v1', at: now - 1 } }, now), true);
  assert.equal(shouldShow(tip(), { 1: { v: 'v1', at: now - 1, x: 1 } }, now), false);
  assert.equal(shouldShow(tip({ version: 'v2' }), { 1: { v: 'v1', x: 1 } }, now), true, 'changed content shows again');
  const once = tip({ frequency: { mode: 'once' } });
  assert.equal(shouldShow(once, { 1: { v: 'v1', at: now - 1 } }, now), false);
  const every = tip({ frequency: { mode: 'every_n_days', days: 3 } });
  assert.equal(shouldShow(every, { 1: { v: 'v1', at: now - 2 * DAY, x: 1 } }, now), false);
  assert.equal(shouldShow(every, { 1: { v: 'v1', at: now - 3 * DAY, x: 1 } }, now), true);
  assert.equal(shouldShow(tip(), { 1: { v: 'v1', d: 1 } }, now), false, 'completed tours stay done');
});

test('plan: one interruptive tip per page view, by kind (tour > modal > tooltip > banner) then priority', () => {
  const tips = [
    tip({ id: 1, priority: 9 }), tip({ id: 3, kind: 'banner', priority: 20 }), tip({ id: 5, kind: 'modal' }),
    tip({ id: 6, kind: 'tour', priority: -1 }), tip({ id: 7, trigger: 'frustration', kind: 'tour' }),
    tip({ id: 8, kind: 'checklist' }),
  ];
  const p = plan(tips, {}, 0);
  assert.equal(p.lead.id, 6);
  assert.equal(p.checklist.id, 8, 'the checklist waits in its corner');
  assert.equal(plan(tips.filter((t) => t.kind !== 'tour'), {}, 0).lead.id, 5);
  assert.equal(plan([tip({ id: 1 }), tip({ id: 3, kind: 'banner', priority: 20 })], {}, 0).lead.id, 1);
  assert.equal(plan([tip({ id: 1 }), tip({ id: 2, priority: 3 })], {}, 0).lead.id, 2);
});

test('plan: a cool-down after an interruption; a tour in progress resumes through it', () => {
  const now = 1e9;
  const mem = { $: now - 1000 };
  assert.equal(plan([tip({ id: 1 })], mem, now).lead, null);
  assert.equal(plan([tip({ id: 1 })], { $: now - COOLDOWN }, now).lead.id, 1);
  const tour = tip({ id: 2, kind: 'tour', frequency: { mode: 'once' } });
  const started = { ...mem, 2: { v: 'v1', at: now - 2000, s: 1 } };
  assert.equal(plan([tip({ id: 1 }), tour], started, now).lead.id, 2, 'resumes on the next page');
  assert.equal(plan([tour], { 2: { v: 'v1', at: 1 } }, now).lead, null, 'a finished-once tour stays away');
  assert.equal(plan([tour], { 2: { v: 'v1', s: 2, d: 1 } }, now).lead, null);
});

test('offerFor: the tip for the element the user struggled with, else a general one for the signal', () => {
  const tips = [
    tip({ id: 7, trigger: 'frustration', signal: 'rage_click', selector: '#sync' }),
    tip({ id: 8, trigger: 'frustration', signal: 'rage_click' }),
    tip({ id: 9, trigger: 'frustration', signal: 'js_error' }),
  ];
  const on = (sel) => (s) => s === sel;
  assert.equal(offerFor(tips, 'rage_click', {}, 0, on('#sync')).id, 7);
  assert.equal(offerFor(tips, 'rage_click', {}, 0, on('#new-export')).id, 8);
  assert.equal(offerFor(tips.slice(0, 1), 'rage_click', {}, 0, on('#new-export')), undefined, 'sync help is not offered for exports');
  assert.equal(offerFor(tips, 'js_error', {}, 0).id, 9);
});

test('place: below the anchor, above when no room, clamped to the viewport', () => {
  const vp = { width: 800, height: 600 };
  const box = { width: 200, height: 100 };
  const below = place({ top: 100, bottom: 130, left: 300, width: 100, height: 30 }, box, vp);
  assert.deepEqual(below, { top: 140, left: 250, side: 'bottom', visible: true });
  const above = place({ top: 550, bottom: 580, left: 750, width: 40, height: 30 }, box, vp);
  assert.equal(above.side, 'top');
  assert.equal(above.top, 440);
  assert.equal(above.left, 592);
  assert.equal(place({ top: -200, bottom: -170, left: 0, width: 10, height: 30 }, box, vp).visible, false);
  // A form right below the anchor: the box goes above it rather than covering the form.
  const anchor = { top: 250, bottom: 280, left: 40, width: 100, height: 30 };
  const form = { top: 300, left: 24, width: 550, height: 70 };
  const p = place(anchor, box, vp, 10, [form]);
  assert.equal(p.side, 'top');
  assert.equal(p.top, 140);
  const crowded = place(anchor, box, vp, 10, [form, { top: 100, left: 0, width: 800, height: 140 }]);
  assert.equal(crowded.side, 'right');
});

test('contact payload: product context only with consent, removable, identity passed on as signed', async () => {
  const { contactPayload, signedEmail, CONTEXT_PARTS } = await import('../src/core.js');
  const base = { key: 'pk_1', anon: 'a1', message: '  Export fails  ', email: ' u@x.test ', locale: 'en', url: 'https://app.test/x?y=1', identity: '', signature: '' };
  const yes = contactPayload({ ...base, consent: true });
  assert.deepEqual(yes, { message: 'Export fails', email: 'u@x.test', app_key: 'pk_1', anonymous_id: 'a1', consent: true, locale: 'en', entry_point: 'launcher', page_url: 'https://app.test/x?y=1' });
  const out = contactPayload({ ...base, consent: true, leaveOut: true });
  assert.equal(out.page_url, undefined);
  assert.deepEqual(out.remove, CONTEXT_PARTS);
  const no = contactPayload({ ...base, consent: false });
  assert.equal(no.consent, false);
  assert.equal(no.page_url, undefined);
  assert.equal(no.remove, undefined);
  const token = Buffer.from(JSON.stringify({ id: 'u1', traits: { email: 'u1@x.test' } })).toString('base64url');
  const signed = contactPayload({ ...base, consent: true, identity: token, signature: 'ab12' });
  assert.equal(signed.identity, token);
  assert.equal(signed.identity_signature, 'ab12');
  assert.equal(signedEmail(token), 'u1@x.test');
  assert.equal(signedEmail('not base64!'), '');
  // "No, talk to a person" under the answer card: the card goes by reference, with the question.
  const card = contactPayload({ ...base, consent: false, answer: 'article:7:rotate', question: 'rotate a key' });
  assert.equal(card.answer, 'article:7:rotate');
  assert.equal(card.question, 'rotate a key');
  assert.equal(no.answer, undefined);
});
