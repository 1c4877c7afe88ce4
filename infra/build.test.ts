import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAll, createZip, type Manifest } from './build.mjs';
import { parseParameterFile } from '@/lib/deployments/template-model';

/** Reads a zip through its central directory, as unzip and Lambda do. */
function readZip(zip: Buffer): Record<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = inflateRawSync(zip.subarray(dataStart, dataStart + size));
    expect(crc32(data)).toBe(crc);
    files[name] = data;
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return files;
}

describe('createZip', () => {
  it('packs files sorted, without timestamps: the same input gives the same bytes', () => {
    const a = createZip({ 'b.txt': Buffer.from('second'), 'a.txt': Buffer.from('first') });
    const b = createZip({ 'a.txt': Buffer.from('first'), 'b.txt': Buffer.from('second') });
    expect(a.equals(b)).toBe(true);
    expect(readZip(a)).toEqual({ 'a.txt': Buffer.from('first'), 'b.txt': Buffer.from('second') });
    expect(createZip({ 'a.txt': Buffer.from('other') }).equals(a)).toBe(false);
  });
});

describe('infra build', () => {
  let out: string;
  let manifest: Manifest;
  const repo = path.resolve(__dirname, '..');

  beforeAll(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-build-'));
    manifest = await buildAll({ out, bucket: 'acme-artifacts' });
  }, 120_000);
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('writes one zip per function, named in the manifest by its content hash', () => {
    expect(Object.keys(manifest.functions).sort()).toEqual(['api', 'notifier', 'worker']);
    for (const [name, fn] of Object.entries(manifest.functions)) {
      const zip = fs.readFileSync(path.join(out, fn.zip));
      const sha = createHash('sha256').update(zip).digest();
      expect(fn.sha256).toBe(sha.toString('hex'));
      expect(fn.codeSha256).toBe(sha.toString('base64'));
      expect(fn.key).toBe(`${name}/${fn.sha256}.zip`);
      expect(fn.bytes).toBe(zip.length);
      const files = readZip(zip);
      expect(Object.keys(files)).toEqual(['index.js', 'index.js.map']);
      expect(files['index.js']!.toString()).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
      expect(JSON.parse(files['index.js.map']!.toString()).sources.some((s: string) => s.includes(`infra/functions/${name}/`))).toBe(true);
    }
    expect(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'))).toEqual(manifest);
    const template = fs.readFileSync(path.join(out, 'template.yaml'));
    expect(template.equals(fs.readFileSync(path.join(repo, 'infra', 'template.yaml')))).toBe(true);
    expect(manifest.template.key).toBe(`templates/${createHash('sha256').update(template).digest('hex')}.yaml`);
  });

  it('keeps the AWS SDK out of the bundles (the runtime provides it) and pg in', () => {
    const notifier = fs.readFileSync(path.join(out, 'notifier', 'index.js'), 'utf8');
    expect(notifier).toContain('require("@aws-sdk/client-secrets-manager")');
    const api = fs.readFileSync(path.join(out, 'api', 'index.js'), 'utf8');
    expect(api).not.toMatch(/require\("pg"\)/);
    expect(manifest.functions.api.bytes).toBeLessThan(1_000_000);
  });

  it('builds the same commit to the same hashes, wherever it builds (a release is named by them)', async () => {
    // A second build, into another directory: the zips must not carry the output path or the time.
    const again = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-build-again-'));
    try {
      const second = await buildAll({ out: again });
      for (const [name, fn] of Object.entries(second.functions)) {
        const first = manifest.functions[name as keyof Manifest['functions']];
        expect({ name, sha256: fn.sha256, bytes: fn.bytes, key: fn.key }).toEqual({ name, sha256: first.sha256, bytes: first.bytes, key: first.key });
        expect(fs.readFileSync(path.join(again, fn.zip)).equals(fs.readFileSync(path.join(out, first.zip)))).toBe(true);
      }
      for (const fn of Object.values(second.functions)) {
        const sources: string[] = JSON.parse(fs.readFileSync(path.join(again, fn.zip.replace(/\.zip$/, ''), 'index.js.map'), 'utf8')).sources;
        expect(sources.filter((s) => s.startsWith('..') || path.isAbsolute(s) || s.includes(repo))).toEqual([]);
      }
    } finally {
      fs.rmSync(again, { recursive: true, force: true });
    }
  }, 120_000);

  it('builds a copy of the functions to the same zips, and changed code to new ones (--functions; how e2e/serve.mjs builds an earlier release)', async () => {
    fs.mkdirSync(path.join(repo, '.data'), { recursive: true });
    const copy = fs.mkdtempSync(path.join(repo, '.data', 'build-copy-'));
    try {
      fs.cpSync(path.join(repo, 'infra', 'functions'), path.join(copy, 'functions'), { recursive: true });
      const same = await buildAll({ out: path.join(copy, 'same'), functions: path.join(copy, 'functions') });
      for (const name of ['api', 'worker', 'notifier'] as const) expect(same.functions[name].sha256).toBe(manifest.functions[name].sha256);

      // One message of the code every function bundles, as an earlier release had it.
      const env = path.join(copy, 'functions', 'shared', 'env.ts');
      const source = fs.readFileSync(env, 'utf8');
      expect(source).toContain('missing environment variables: ');
      fs.writeFileSync(env, source.replace('missing environment variables: ', 'these environment variables are not set: '));
      const changed = await buildAll({ out: path.join(copy, 'changed'), functions: path.join(copy, 'functions') });
      for (const name of ['api', 'worker', 'notifier'] as const) {
        expect(changed.functions[name].sha256).not.toBe(manifest.functions[name].sha256);
        const files = readZip(fs.readFileSync(path.join(copy, 'changed', changed.functions[name].zip)));
        expect(files['index.js']!.toString()).toContain('these environment variables are not set: ');
        expect(JSON.parse(files['index.js.map']!.toString()).sources).toContain('infra/functions/shared/env.ts');
      }
      await expect(buildAll({ out: path.join(copy, 'outside'), functions: os.tmpdir() })).rejects.toThrow(/is outside the repository/);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  }, 120_000);

  it('writes complete parameter files per environment with this build keys and the bucket', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      const committed = parseParameterFile(fs.readFileSync(path.join(repo, 'infra', 'parameters', `${env}.json`), 'utf8'));
      const built = parseParameterFile(fs.readFileSync(path.join(out, 'parameters', `${env}.json`), 'utf8'));
      expect(built).toEqual({
        ...committed,
        ArtifactBucket: 'acme-artifacts',
        ApiCodeKey: manifest.functions.api.key,
        WorkerCodeKey: manifest.functions.worker.key,
        NotifierCodeKey: manifest.functions.notifier.key,
      });
    }
  });

  it('produces bundles that load and answer as Lambda would call them (no network)', () => {
    const script = `
      const api = require(${JSON.stringify(path.join(out, 'api', 'index.js'))});
      const notifier = require(${JSON.stringify(path.join(out, 'notifier', 'index.js'))});
      const worker = require(${JSON.stringify(path.join(out, 'worker', 'index.js'))});
      (async () => {
        const res = await api.handler({ routeKey: 'GET /nowhere', requestContext: { requestId: 'r' } });
        await notifier.handler({ Records: [{ Sns: { MessageId: 'm', Message: '{"not":"an alarm"}' } }] });
        process.stdout.write(JSON.stringify({ api: res.statusCode, worker: typeof worker.handler, notifier: typeof notifier.handler }));
        process.exit(0);
      })();`;
    const stdout = execFileSync(process.execPath, ['-e', script], {
      env: {
        NODE_ENV: 'production',
        PATH: process.env.PATH,
        NODE_PATH: path.join(repo, 'node_modules'),
        AWS_REGION: 'eu-central-1',
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'x',
        JOBS_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/123456789012/serverless-dev-jobs',
        DB_HOST: 'serverless-dev-proxy.proxy-x.eu-central-1.rds.amazonaws.com',
        DB_PORT: '5432',
        DB_NAME: 'app',
        DB_USER: 'gatehouse',
        SLACK_WEBHOOK_SECRET_ID: 'serverless-dev/slack-webhook',
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(JSON.parse(stdout)).toEqual({ api: 404, worker: 'function', notifier: 'function' });
  });

  it('refuses to start a function whose environment is incomplete, naming what is missing', () => {
    const run = () =>
      execFileSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(out, 'worker', 'index.js'))})`], {
        env: { NODE_ENV: 'production', PATH: process.env.PATH, NODE_PATH: path.join(repo, 'node_modules'), AWS_REGION: 'eu-central-1' },
        encoding: 'utf8',
        stdio: 'pipe',
      });
    expect(run).toThrow(/missing environment variables: DB_HOST, DB_PORT, DB_NAME, DB_USER/);
  });
});
