import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { bundle, OUT, BUDGET } from '../build.mjs';

test('the committed faro.js is built from the current source', async () => {
  assert.equal(readFileSync(OUT, 'utf8'), await bundle(), 'run `npm run build` in frontend/snippet');
});

test('the snippet stays within its 12 KB gzipped budget', () => {
  const gz = gzipSync(readFileSync(OUT), { level: 9 }).length;
  assert.ok(gz <= BUDGET, `${gz} bytes gzipped`);
});
