#!/usr/bin/env node
// Prints the first-load JavaScript of each route of the last `next build` (Turbopack's build does
// not print it): uncompressed and gzipped, from .next/diagnostics/route-bundle-stats.json.
import fs from 'node:fs';
import zlib from 'node:zlib';

const stats = JSON.parse(fs.readFileSync('.next/diagnostics/route-bundle-stats.json', 'utf8'));
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
console.log('route'.padEnd(36), 'first-load JS'.padStart(14), 'gzipped'.padStart(10));
for (const r of stats.sort((a, b) => a.route.localeCompare(b.route))) {
  const gz = r.firstLoadChunkPaths.reduce((n, p) => n + zlib.gzipSync(fs.readFileSync(p)).length, 0);
  console.log(r.route.padEnd(36), kb(r.firstLoadUncompressedJsBytes).padStart(14), kb(gz).padStart(10));
}
