// Builds ../static/faro/snippet/faro.js; `--check` fails when the committed file is stale.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const OUT = fileURLToPath(new URL('../static/faro/snippet/faro.js', import.meta.url));
export const BUDGET = 12 * 1024;

export async function bundle() {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./src/index.js', import.meta.url))],
    bundle: true, minify: true, format: 'iife', target: ['es2020'], write: false, legalComments: 'none',
    banner: { js: '/* Faro guidance snippet — built from frontend/snippet/src by `npm run build` */' },
  });
  return result.outputFiles[0].text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const code = await bundle();
  const gz = gzipSync(code, { level: 9 }).length;
  if (process.argv.includes('--check')) {
    const committed = readFileSync(OUT, 'utf8');
    if (committed !== code) { console.error('faro.js is out of date: run `npm run build` in frontend/snippet'); process.exit(1); }
  } else writeFileSync(OUT, code);
  console.log(`faro.js ${code.length} bytes, ${gz} bytes gzipped (budget ${BUDGET})`);
  if (gz > BUDGET) { console.error('over the size budget'); process.exit(1); }
}
