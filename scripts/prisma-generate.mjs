#!/usr/bin/env node
// postinstall: generates the Prisma 7 client into lib/server/db/generated.
// Prisma 7's CLI looks for a schema-engine binary it would download; generating the client needs
// none, so it is pointed at a placeholder (docs/decisions/002-database.md).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schema = path.join(root, 'prisma', 'schema.prisma');
// The schema the client was generated from: `--if-stale` (typecheck, npm test) regenerates only
// when schema.prisma changed since, e.g. after pulling a migration without `npm install`.
const stamp = path.join(root, 'lib', 'server', 'db', 'generated', '.schema-sha256');
const schemaHash = createHash('sha256').update(fs.readFileSync(schema)).digest('hex');
if (process.argv.includes('--if-stale') && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === schemaHash) process.exit(0);
const cache = path.join(root, 'node_modules', '.cache', 'gatehouse-prisma');
fs.mkdirSync(cache, { recursive: true });
const placeholder = path.join(cache, 'no-schema-engine');
fs.writeFileSync(placeholder, 'not an engine: prisma generate needs none\n');

// The prisma6 alias (used only for offline migration diffs) overwrites the `prisma` bin link:
// point it back at Prisma 7 so `npx prisma` is the version the app uses.
const bin = path.join(root, 'node_modules', '.bin', 'prisma');
try {
  fs.rmSync(bin, { force: true });
  fs.symlinkSync('../prisma/build/index.js', bin);
} catch {
  // not fatal: the scripts call each CLI by path
}

const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'generate', '--schema', schema], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: placeholder, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
if (result.status === 0) fs.writeFileSync(stamp, `${schemaHash}\n`);
process.exit(result.status ?? 1);
