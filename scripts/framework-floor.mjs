#!/usr/bin/env node
// The framework's floor: the first-load JavaScript (gzip) of a hello-world Next.js App Router app
// built with our node_modules and our bundler (Turbopack) — one server page, a layout with only
// <html><body>. No page of ours can weigh less; `npm run size -- --budget` prints each route's margin
// over it (the figure is stored in scripts/page-weight-budget.json, `floor`). A measurement, not a
// test: npm test does not run it (docs/decisions/052-page-weight-budget.md).
//
//   npm run size:floor             builds the app in a temporary directory, prints its routes and the floor
//   npm run size:floor -- --webpack   the same with `next build --webpack`
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { buildBareApp, nextVersion } from './bare-next-app.mjs';

const webpack = process.argv.includes('--webpack');
const { dir, remove } = buildBareApp(
  {
    'app/page.tsx': `export default function Page() {
  return <p>Hello</p>;
}
`,
  },
  { webpack },
);

try {
  const stats = JSON.parse(fs.readFileSync(path.join(dir, '.next', 'diagnostics', 'route-bundle-stats.json'), 'utf8'));
  const gzipOf = (route) => route.firstLoadChunkPaths.reduce((n, p) => n + zlib.gzipSync(fs.readFileSync(path.resolve(dir, p))).length, 0) / 1024;
  for (const r of stats) console.log(`${r.route.padEnd(16)} ${gzipOf(r).toFixed(1).padStart(7)} kB gzip`);
  const page = stats.find((r) => r.route === '/');
  console.log(`\nFramework floor (${webpack ? 'webpack' : 'Turbopack'}, next ${nextVersion()}): ${gzipOf(page).toFixed(1)} kB gzip first-load JavaScript.`);
} finally {
  remove();
}
