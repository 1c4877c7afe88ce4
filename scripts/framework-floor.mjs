#!/usr/bin/env node
// The framework's floor: the first-load JavaScript (gzip) of a hello-world Next.js App Router app
// built with our node_modules and our bundler (Turbopack) — one server page, a layout with only
// <html><body>. No page of ours can weigh less; `npm run size -- --budget` prints each route's margin
// over it (the figure is stored in scripts/page-weight-budget.json, `floor`). A measurement, not a
// test: npm test does not run it (docs/decisions/052-page-weight-budget.md).
//
//   npm run size:floor             builds the app in a temporary directory, prints its routes and the floor
//   npm run size:floor -- --webpack   the same with `next build --webpack`
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webpack = process.argv.includes('--webpack');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-floor-'));

const files = {
  'package.json': JSON.stringify({ name: 'floor', private: true }),
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      lib: ['dom', 'dom.iterable', 'esnext'],
      strict: true,
      noEmit: true,
      module: 'esnext',
      moduleResolution: 'bundler',
      jsx: 'react-jsx',
      isolatedModules: true,
      skipLibCheck: true,
      plugins: [{ name: 'next' }],
    },
    include: ['**/*.ts', '**/*.tsx'],
  }),
  'app/layout.tsx': `export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`,
  'app/page.tsx': `export default function Page() {
  return <p>Hello</p>;
}
`,
};

try {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  // Hard links (cp -al): the same packages as ours, without copying a gigabyte.
  const linked = spawnSync('cp', ['-al', path.join(root, 'node_modules'), path.join(dir, 'node_modules')], { stdio: 'inherit' });
  if (linked.status !== 0) throw new Error('cp -al node_modules failed (the temporary directory must be on the same file system)');
  const args = [path.join(dir, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build', ...(webpack ? ['--webpack'] : [])];
  const built = spawnSync(process.execPath, args, { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (built.status !== 0) throw new Error(`next build failed (exit ${built.status ?? built.signal})`);
  const stats = JSON.parse(fs.readFileSync(path.join(dir, '.next', 'diagnostics', 'route-bundle-stats.json'), 'utf8'));
  const gzipOf = (route) => route.firstLoadChunkPaths.reduce((n, p) => n + zlib.gzipSync(fs.readFileSync(path.resolve(dir, p))).length, 0) / 1024;
  for (const r of stats) console.log(`${r.route.padEnd(16)} ${gzipOf(r).toFixed(1).padStart(7)} kB gzip`);
  const page = stats.find((r) => r.route === '/');
  console.log(`\nFramework floor (${webpack ? 'webpack' : 'Turbopack'}, next ${readVersion()}): ${gzipOf(page).toFixed(1)} kB gzip first-load JavaScript.`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

function readVersion() {
  return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'next', 'package.json'), 'utf8')).version;
}
