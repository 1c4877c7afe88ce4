#!/usr/bin/env node
// Generates migration SQL from prisma/schema.prisma, offline (docs/decisions/002-database.md).
//
//   npm run db:migration -- <name>   writes prisma/migrations/<timestamp>_<name>/migration.sql
//   npm run db:migration -- --check  exits 1 (and prints the SQL) when the schema has changes
//                                    that no committed migration holds
//
// Prisma 7's CLI needs a schema-engine binary that cannot be downloaded here; Prisma 6.19's CLI
// carries a WASM schema engine that works through a driver adapter. We give it in-memory PGlite
// databases (the "shadow" database replays the committed migrations), so the diff is exactly the
// one `prisma migrate dev` would compute.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const migrationsDir = path.join(root, 'prisma', 'migrations');
const work = path.join(root, 'node_modules', '.cache', 'gatehouse-prisma6');

const arg = process.argv[2];
if (!arg || arg === '--help') {
  console.error('usage: npm run db:migration -- <snake_case_name> | --check');
  process.exit(2);
}
const check = arg === '--check';
if (!check && !/^[a-z][a-z0-9_]{1,60}$/.test(arg)) {
  console.error(`migration name must be snake_case (got "${arg}")`);
  process.exit(2);
}

fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
const dummy = path.join(work, 'no-engine');
fs.writeFileSync(dummy, 'Prisma 6 is used here only with its WASM schema engine\n');

// Prisma 6 wants a url in the datasource and the classic generator; the datamodel is untouched.
const schema = fs
  .readFileSync(path.join(root, 'prisma', 'schema.prisma'), 'utf8')
  .replace(/generator client \{[^}]*\}/, 'generator client {\n  provider = "prisma-client-js"\n}')
  .replace(/datasource db \{[^}]*\}/, 'datasource db {\n  provider = "postgresql"\n  url      = "postgresql://unused@localhost/unused"\n}');
fs.writeFileSync(path.join(work, 'schema.prisma'), schema);
fs.writeFileSync(
  path.join(work, 'prisma.config.mjs'),
  `import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';

// The schema engine applies each migration as one raw statement without parameters; PGlite's
// extended protocol refuses several statements in one, so such scripts go through exec().
function scriptable(adapter, db) {
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === 'executeRaw') {
        return async (query) => {
          if (query.args && query.args.length > 0) return value.call(target, query);
          await db.exec(query.sql);
          return 0;
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export default {
  experimental: { adapter: true },
  engine: 'js',
  schema: ${JSON.stringify(path.join(work, 'schema.prisma'))},
  async adapter() {
    const main = new PGlite();
    const factory = new PrismaPGlite(main);
    return {
      provider: factory.provider,
      adapterName: factory.adapterName,
      async connect() { return scriptable(await factory.connect(), main); },
      async connectToShadowDb() {
        const shadow = new PGlite();
        return scriptable(await new PrismaPGlite(shadow).connect(), shadow);
      },
    };
  },
};
`,
);

fs.mkdirSync(migrationsDir, { recursive: true });
const hasMigrations = fs.readdirSync(migrationsDir, { withFileTypes: true }).some((e) => e.isDirectory());
const from = hasMigrations ? ['--from-migrations', migrationsDir] : ['--from-empty'];
const result = spawnSync(
  process.execPath,
  [
    path.join(root, 'node_modules', 'prisma6', 'build', 'index.js'),
    'migrate',
    'diff',
    ...from,
    '--to-schema-datamodel',
    path.join(work, 'schema.prisma'),
    '--script',
    '--exit-code',
    '--config',
    path.join(work, 'prisma.config.mjs'),
  ],
  {
    cwd: work,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, PRISMA_QUERY_ENGINE_LIBRARY: dummy, PRISMA_SCHEMA_ENGINE_BINARY: dummy, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  },
);
// --exit-code: 0 no difference, 2 difference, anything else an error.
if (result.status !== 0 && result.status !== 2) {
  console.error(result.stdout, result.stderr, result.error ?? '');
  console.error('prisma migrate diff failed');
  process.exit(1);
}
const sql = result.stdout.replace(/^Loaded Prisma config.*\n+/m, '').trim();
if (result.status === 0) {
  console.log('The committed migrations match prisma/schema.prisma.');
  process.exit(0);
}
if (check) {
  console.error('prisma/schema.prisma has changes that no migration holds. Run `npm run db:migration -- <name>`. Missing SQL:\n');
  console.error(sql);
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
const dir = path.join(migrationsDir, `${stamp}_${arg}`);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'migration.sql'), `${sql}\n`);
fs.writeFileSync(
  path.join(migrationsDir, 'migration_lock.toml'),
  '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
);
console.log(`Wrote ${path.relative(root, dir)}/migration.sql`);
