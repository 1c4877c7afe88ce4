// A bare Next.js App Router app built with our node_modules in a temporary directory: the
// framework's floor for page weight (scripts/framework-floor.mjs) and under load
// (bench/framework-floor.ts). The same package.json, tsconfig and <html><body> layout for both; the
// caller adds its pages and routes.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const BASE_FILES = {
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
};

/** The Next.js version in our node_modules. */
export function nextVersion() {
  return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'next', 'package.json'), 'utf8')).version;
}

/**
 * Writes the app (the base files and `files`: path → text), hard-links our node_modules into it
 * (cp -al: the same packages, without copying a gigabyte) and runs `next build` (`--webpack` when
 * asked). Returns its directory and its `next` binary; `remove()` deletes it. Throws when a step
 * fails, after removing what it wrote.
 */
export function buildBareApp(files, { webpack = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-floor-'));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    for (const [name, text] of Object.entries({ ...BASE_FILES, ...files })) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const linked = spawnSync('cp', ['-al', path.join(root, 'node_modules'), path.join(dir, 'node_modules')], { stdio: 'inherit' });
    if (linked.status !== 0) throw new Error('cp -al node_modules failed (the temporary directory must be on the same file system)');
    const next = path.join(dir, 'node_modules', 'next', 'dist', 'bin', 'next');
    const built = spawnSync(process.execPath, [next, 'build', ...(webpack ? ['--webpack'] : [])], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    if (built.status !== 0) throw new Error(`next build failed (exit ${built.status ?? built.signal})`);
    return { dir, next, remove };
  } catch (e) {
    remove();
    throw e;
  }
}
