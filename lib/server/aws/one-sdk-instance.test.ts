import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { NextConfig } from 'next';
import { describe, expect, it } from 'vitest';

// docs/decisions/025-one-aws-sdk-instance.md: the server holds one copy of every AWS SDK package,
// because Next.js leaves serverExternalPackages to Node's require cache instead of bundling a copy
// into each server bundle. These checks keep that true as dependencies and imports change.

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const isSdk = (name: string) => /^@(aws-sdk|smithy)\//.test(name);
// By URL: next.config.mjs is plain JavaScript without types.
const nextConfig = ((await import(pathToFileURL(path.join(root, 'next.config.mjs')).href)) as { default: NextConfig }).default;
const external = new Set(nextConfig.serverExternalPackages ?? []);

/** Source files the server bundles: everything under app/ and lib/, and the root entry files. */
function serverSources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'generated') walk(full);
      } else if (/\.tsx?$/.test(entry.name) && !/\.(test|proof\.test|aws-e2e)\.tsx?$/.test(entry.name)) {
        out.push(full);
      }
    }
  };
  for (const dir of ['app', 'lib', 'components']) walk(path.join(root, dir));
  for (const file of ['instrumentation.ts', 'proxy.ts']) if (fs.existsSync(path.join(root, file))) out.push(path.join(root, file));
  return out;
}

/** Package names of the value imports (not `import type`) in a source file. */
function importedPackages(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(/^\s*import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gm)) if (!m[1]) names.push(m[2]!);
  for (const m of source.matchAll(/\bimport\(\s*'([^']+)'\s*\)|\brequire\(\s*'([^']+)'\s*\)/g)) names.push((m[1] ?? m[2])!);
  return names.filter((n) => n.startsWith('@')).map((n) => n.split('/').slice(0, 2).join('/'));
}

describe('one AWS SDK instance in the server', () => {
  it('lists every @aws-sdk/* and @smithy/* dependency in serverExternalPackages', () => {
    const sdk = Object.keys(pkg.dependencies).filter(isSdk);
    expect(sdk).toContain('@aws-sdk/client-iam');
    expect(sdk.filter((name) => !external.has(name))).toEqual([]);
  });

  it('imports from server code only SDK packages that are dependencies (so external, not bundled)', () => {
    const offenders: string[] = [];
    for (const file of serverSources()) {
      for (const name of importedPackages(fs.readFileSync(file, 'utf8'))) {
        if (isSdk(name) && !(name in pkg.dependencies && external.has(name))) offenders.push(`${path.relative(root, file)}: ${name}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('finds the SDK imports it checks (the scan is not vacuous)', () => {
    const found = new Set(serverSources().flatMap((file) => importedPackages(fs.readFileSync(file, 'utf8')).filter(isSdk)));
    expect([...found].sort()).toEqual(expect.arrayContaining(['@aws-sdk/client-iam', '@aws-sdk/client-sts', '@smithy/signature-v4']));
  });
});
