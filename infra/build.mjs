#!/usr/bin/env node
// `npm run infra:build`: bundles each Lambda function of the serverless stack with esbuild and packs it
// into a deterministic zip named by its content hash, then writes infra/dist/manifest.json and, for
// every infra/parameters/<env>.json, a complete parameter file with this build's S3 keys.
//
//   node infra/build.mjs [--out <dir>] [--bucket <artifact bucket>] [--functions <dir>]
//
// --functions builds the functions' sources from another directory laid out as infra/functions (a
// copy of them inside the repository, changed or not; e2e/serve.mjs builds an earlier release that
// way). The zips depend on the code only: a copy of infra/functions builds to the same bytes.
//
// Output (infra/dist is gitignored):
//   <fn>/index.js, <fn>/index.js.map   the bundle (node20, CommonJS, minified, source map)
//   <fn>.zip                           what Lambda runs; identical inputs give an identical zip
//   template.yaml                      a copy of infra/template.yaml (too big for TemplateBody: upload it)
//   manifest.json                      { functions: { <fn>: { zip, key, sha256, codeSha256, bytes } }, template: { key, … } }
//   parameters/<env>.json              infra/parameters/<env>.json with ApiCodeKey/WorkerCodeKey/NotifierCodeKey
//                                      (and ArtifactBucket when --bucket is given) filled in
// A deployment uploads each <fn>.zip to s3://<bucket>/<key> and passes parameters/<env>.json to
// CloudFormation (infra/README.md).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
/** Where the functions' sources are, and what the source maps call that directory. */
const FUNCTIONS_DIR = path.join(here, 'functions');

/** The functions and the template parameter that carries each one's S3 key. */
export const FUNCTIONS = [
  { name: 'api', parameter: 'ApiCodeKey' },
  { name: 'worker', parameter: 'WorkerCodeKey' },
  { name: 'notifier', parameter: 'NotifierCodeKey' },
];

// DOS date/time of 1980-01-01 00:00: zips do not depend on when or where they were built.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/**
 * A zip archive (deflate, no timestamps, files sorted, mode 0644) of { name: Buffer } entries.
 * Deterministic, so the content hash names the code, not the build.
 */
export function createZip(files) {
  const names = Object.keys(files).sort();
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const name of names) {
    const data = files[name];
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBytes, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + compressed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/**
 * The name a source map gives one source file: a function source by its place under infra/functions
 * (also when built from a copy elsewhere), anything else (node_modules) from the repository root.
 */
function sourceName(file, functionsDir) {
  const inFunctions = path.relative(functionsDir, file);
  const relative =
    inFunctions.startsWith('..') || path.isAbsolute(inFunctions) ? path.relative(root, file) : path.join(path.relative(root, FUNCTIONS_DIR), inFunctions);
  return relative.split(path.sep).join('/');
}

/** Bundles one function into <out>/<name>/index.js (+ map). */
async function bundle(name, out, functionsDir) {
  const dir = path.join(out, name);
  fs.rmSync(dir, { recursive: true, force: true });
  const result = await build({
    entryPoints: [path.join(functionsDir, name, 'index.ts')],
    outfile: path.join(dir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Prefer packages' ES module builds: they tree-shake (the SigV4 signer's CommonJS build drags in all of @smithy/core).
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    // The Lambda Node.js runtime ships AWS SDK v3; pg's optional native binding and Cloudflare
    // socket support are never used.
    external: ['@aws-sdk/*', 'pg-native', 'cloudflare:sockets'],
    // Source paths in the map relative to the repository, not to this machine.
    sourceRoot: '',
    absWorkingDir: path.resolve(here, '..'),
    logLevel: 'warning',
    metafile: true,
  });
  if (result.errors.length > 0) throw new Error(`esbuild failed for ${name}`);
  // esbuild writes the map's sources relative to the output directory, so a build outside the
  // repository would carry this checkout's path: name them from the repository root instead (and a
  // copy of the functions as infra/functions), so the zip depends on the code only, not on where
  // it was checked out or built.
  const mapFile = path.join(dir, 'index.js.map');
  const map = JSON.parse(fs.readFileSync(mapFile, 'utf8'));
  map.sources = map.sources.map((source) => sourceName(path.resolve(dir, source), functionsDir));
  fs.writeFileSync(mapFile, JSON.stringify(map));
  return dir;
}

function readParameterFile(file) {
  const list = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(list)) throw new Error(`${file}: expected [{ ParameterKey, ParameterValue }]`);
  return list;
}

/** Builds every function (from `functions`, default infra/functions) into `out`; returns the manifest. */
export async function buildAll({ out = path.join(here, 'dist'), bucket, functions = FUNCTIONS_DIR } = {}) {
  fs.mkdirSync(out, { recursive: true });
  const functionsDir = path.resolve(functions);
  // esbuild finds the packages (node_modules) and compiler settings (tsconfig.json) by walking up from each source.
  if (path.relative(root, functionsDir).startsWith('..'))
    throw new Error(`${functionsDir} is outside the repository: its node_modules and tsconfig.json must apply, so copy the functions inside it`);
  for (const fn of FUNCTIONS) {
    if (!fs.existsSync(path.join(functionsDir, fn.name, 'index.ts')))
      throw new Error(`${functionsDir} has no ${fn.name}/index.ts: --functions names a directory laid out as infra/functions`);
  }
  const manifest = { functions: {} };
  for (const fn of FUNCTIONS) {
    const dir = await bundle(fn.name, out, functionsDir);
    const zip = createZip({
      'index.js': fs.readFileSync(path.join(dir, 'index.js')),
      'index.js.map': fs.readFileSync(path.join(dir, 'index.js.map')),
    });
    const sha256 = createHash('sha256').update(zip).digest('hex');
    fs.writeFileSync(path.join(out, `${fn.name}.zip`), zip);
    manifest.functions[fn.name] = {
      zip: `${fn.name}.zip`,
      key: `${fn.name}/${sha256}.zip`,
      parameter: fn.parameter,
      sha256,
      // What Lambda reports as CodeSha256 once the code is deployed.
      codeSha256: createHash('sha256').update(zip).digest('base64'),
      bytes: zip.length,
    };
  }
  // The template is larger than the 51,200 bytes CloudFormation accepts inline (TemplateBody):
  // deployments upload it next to the zips and pass its URL (TemplateURL).
  const template = fs.readFileSync(path.join(here, 'template.yaml'));
  const templateSha = createHash('sha256').update(template).digest('hex');
  fs.writeFileSync(path.join(out, 'template.yaml'), template);
  manifest.template = { file: 'template.yaml', key: `templates/${templateSha}.yaml`, sha256: templateSha, bytes: template.length };
  fs.writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  const paramsDir = path.join(here, 'parameters');
  fs.mkdirSync(path.join(out, 'parameters'), { recursive: true });
  for (const file of fs
    .readdirSync(paramsDir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const values = readParameterFile(path.join(paramsDir, file)).map((p) => {
      const fn = FUNCTIONS.find((f) => f.parameter === p.ParameterKey);
      if (fn) return { ParameterKey: p.ParameterKey, ParameterValue: manifest.functions[fn.name].key };
      if (bucket && p.ParameterKey === 'ArtifactBucket') return { ParameterKey: p.ParameterKey, ParameterValue: bucket };
      return p;
    });
    fs.writeFileSync(path.join(out, 'parameters', file), `${JSON.stringify(values, null, 2)}\n`);
  }
  return manifest;
}

function parseArgs(argv) {
  const args = { out: undefined, bucket: undefined, functions: undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if ((flag === '--out' || flag === '--bucket' || flag === '--functions') && value) {
      args[flag.slice(2)] = value;
      i++;
    } else throw new Error(`usage: node infra/build.mjs [--out <dir>] [--bucket <artifact bucket>] [--functions <dir>] (unknown: ${flag})`);
  }
  return args;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = parseArgs(process.argv.slice(2));
  const out = args.out ? path.resolve(args.out) : path.join(here, 'dist');
  const manifest = await buildAll({ out, bucket: args.bucket, functions: args.functions });
  for (const [name, fn] of Object.entries(manifest.functions)) {
    console.info(`${name.padEnd(9)} ${String(fn.bytes).padStart(8)} bytes  ${fn.key}`);
  }
  console.info(`template  ${String(manifest.template.bytes).padStart(8)} bytes  ${manifest.template.key}`);
  console.info(`manifest: ${path.relative(process.cwd(), path.join(out, 'manifest.json'))}`);
}
