#!/usr/bin/env node
// Looks for secret values and credentials where none may be: server logs, saved responses, database
// contents. The portal never receives, stores, logs or shows a secret value (ARCHITECTURE.md); this
// checks it after a full e2e run (scripts/test.mjs) and after the fault benchmarks.
//
//   node scripts/secret-scan.mjs [--pglite <data dir>]... [--pg <postgres url>]... \
//        [--literal <value>]... [--env-literal <VAR>]... <file or directory>...
//
// Files are read as text (binary files as latin1, so that strings inside database pages are seen
// too); --pglite / --pg dump every table of the public schema as JSON first (values the database
// compressed are only readable that way). Findings print redacted; exit 1 when there is any.
import fs from 'node:fs';
import path from 'node:path';
import { CREDENTIAL_PATTERNS, findCredentials } from '../lib/security/credential-patterns.mjs';

// The credential shapes are shared with the portal, which refuses them in free text.
export { SANDBOX_VALUE } from '../lib/security/credential-patterns.mjs';
/** The patterns this scan applies: the shared list, less the shapes only worth refusing in typed text. */
export const PATTERNS = CREDENTIAL_PATTERNS.filter((p) => !p.freeTextOnly);

function escape(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function redact(s) {
  return s.length <= 6 ? '…' : `${s.slice(0, 4)}…(${s.length} chars)`;
}

/** Findings in one text: { name, at, excerpt } with the secret itself redacted. */
export function scanText(text, { literals = [] } = {}) {
  const found = findCredentials(text).map((f) => ({ name: f.name, at: f.at, excerpt: redact(f.value) }));
  for (const [i, l] of literals.filter((l) => l && l.length >= 8).entries()) {
    for (const m of text.matchAll(new RegExp(escape(l), 'g'))) found.push({ name: `literal #${i + 1}`, at: m.index, excerpt: redact(m[0]) });
  }
  return found;
}

function* files(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return;
  }
  if (stat.isFile()) yield target;
  else if (stat.isDirectory()) for (const entry of fs.readdirSync(target).sort()) yield* files(path.join(target, entry));
}

/** Every row of every public table, one JSON line each. */
async function dumpRows(query, label) {
  const tables = await query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`);
  const out = [];
  let rows = 0;
  for (const { table_name: t } of tables) {
    for (const row of await query(`SELECT * FROM "${t.replaceAll('"', '""')}"`)) {
      rows++;
      out.push(`${t}\t${JSON.stringify(row)}`);
    }
  }
  return { label, tables: tables.length, rows, text: out.join('\n') };
}

async function dumpPglite(dir) {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite(dir);
  try {
    return await dumpRows(async (sql) => (await db.query(sql)).rows, `pglite:${dir}`);
  } finally {
    await db.close();
  }
}

async function dumpPostgres(url) {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { host, pathname } = new URL(url);
    return await dumpRows(async (sql) => (await client.query(sql)).rows, `postgres://${host}${pathname}`);
  } finally {
    await client.end();
  }
}

/** Scans files, directories and database dumps; returns { findings, scanned }. */
export async function scan({ paths = [], pglite = [], pg = [], literals = [] }) {
  const findings = [];
  const scanned = { files: 0, bytes: 0, tables: 0, rows: 0 };
  for (const target of paths) {
    for (const file of files(target)) {
      const buf = fs.readFileSync(file);
      scanned.files++;
      scanned.bytes += buf.length;
      for (const f of scanText(buf.toString('latin1'), { literals })) findings.push({ where: file, ...f });
    }
  }
  for (const dump of [...(await Promise.all(pglite.map(dumpPglite))), ...(await Promise.all(pg.map(dumpPostgres)))]) {
    scanned.tables += dump.tables;
    scanned.rows += dump.rows;
    for (const f of scanText(dump.text, { literals })) {
      const line = dump.text.slice(0, f.at).split('\n').length;
      const table = dump.text.split('\n')[line - 1]?.split('\t')[0];
      findings.push({ where: `${dump.label} table ${table}`, ...f });
    }
  }
  return { findings, scanned };
}

function parseArgs(argv) {
  const o = { paths: [], pglite: [], pg: [], literals: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--pglite') o.pglite.push(next());
    else if (a === '--pg') o.pg.push(next());
    else if (a === '--literal') o.literals.push(next());
    else if (a === '--env-literal') {
      const name = next();
      if (process.env[name]) o.literals.push(process.env[name]);
    } else o.paths.push(a);
  }
  return o;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const missing = [...options.paths, ...options.pglite].filter((p) => !fs.existsSync(p));
  if (missing.length) console.log(`secret scan: not found (skipped): ${missing.join(', ')}`);
  const { findings, scanned } = await scan({
    ...options,
    paths: options.paths.filter((p) => fs.existsSync(p)),
    pglite: options.pglite.filter((p) => fs.existsSync(p)),
  });
  const what = `${scanned.files} file(s), ${(scanned.bytes / 1e6).toFixed(1)} MB; ${scanned.tables} table(s), ${scanned.rows} row(s); ${options.literals.length} literal(s) and ${PATTERNS.length} patterns`;
  if (findings.length === 0) {
    console.log(`secret scan: nothing found in ${what}`);
    return 0;
  }
  for (const f of findings.slice(0, 50)) console.log(`SECRET? ${f.name} in ${f.where} at ${f.at}: ${f.excerpt}`);
  console.log(`secret scan: ${findings.length} finding(s) in ${what}`);
  return 1;
}

// Run as a command (not when imported by tests; no top-level await, so that require() can load it).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error('secret scan failed:', e);
      process.exit(2);
    },
  );
}
