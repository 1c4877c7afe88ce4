import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { guardLogStreams } from './log-streams';

const moduleUrl = new URL('./log-streams.ts', import.meta.url).href;

/**
 * A process shaped like the server: it logs every 10 ms, and logs its uncaught exceptions as
 * Next.js does. Its parent reads the first line, then closes both pipes.
 */
async function afterPipesClose(guard: boolean) {
  const code = [
    // tsx compiles the module as CommonJS (the package is not "type": "module"): its exports are the default's.
    `const { guardLogStreams } = (await import(${JSON.stringify(moduleUrl)})).default;`,
    guard ? 'guardLogStreams();' : '',
    "process.on('uncaughtException', (e) => console.error('uncaught', e));",
    "process.on('SIGTERM', () => process.exit(0));",
    "setInterval(() => console.log('[memory] tick'), 10);",
  ].join('\n');
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let errors = '';
    child.stderr.on('data', (d) => (errors += d));
    await new Promise((resolve, reject) => {
      child.stdout.once('data', resolve);
      child.once('exit', (code) => reject(new Error(`the child exited (${code}) before it logged: ${errors}`)));
    });
    child.stderr.removeAllListeners('data');
    child.stdout.destroy();
    child.stderr.destroy();
    // CPU time (user + system, in clock ticks) the child uses over one second once nobody reads it.
    const ticks = () => {
      const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return Number(fields[11]) + Number(fields[12]);
    };
    await new Promise((r) => setTimeout(r, 300));
    const before = ticks();
    await new Promise((r) => setTimeout(r, 1000));
    const used = ticks() - before;
    const alive = child.exitCode === null && child.signalCode === null;
    return { used, alive };
  } finally {
    child.kill('SIGKILL');
  }
}

describe.skipIf(!fs.existsSync('/proc/self/stat'))('guardLogStreams', () => {
  it('keeps a server whose stdout and stderr readers are gone alive and idle', async () => {
    const { used, alive } = await afterPipesClose(true);
    expect(alive).toBe(true);
    // 100 ticks a second is one core; an idle process logging every 10 ms uses a few.
    expect(used).toBeLessThan(30);
  });

  it('is what stops the spin: without it the same process burns a core', async () => {
    const { used } = await afterPipesClose(false);
    expect(used).toBeGreaterThan(60);
  });

  it('is named in instrumentation.ts, before anything logs', () => {
    const text = fs.readFileSync(path.resolve(import.meta.dirname, '../../instrumentation.ts'), 'utf8');
    const at = text.indexOf('guardLogStreams()');
    expect(at).toBeGreaterThan(-1);
    expect(at).toBeLessThan(text.indexOf('installPeerAddressHeader()'));
  });
});

describe('guardLogStreams on a stream that fails for another reason', () => {
  /** Two guarded in-memory streams, and what was written to each. */
  function guardedPair() {
    const out = new PassThrough();
    const err = new PassThrough();
    const written = { out: '', err: '' };
    out.on('data', (d) => (written.out += d));
    err.on('data', (d) => (written.err += d));
    guardLogStreams({ out, err });
    return { out, err, written };
  }
  const failure = (code: string) => Object.assign(new Error(code), { code });

  it('says it once on the other stream, and the process goes on', async () => {
    const { out, written } = guardedPair();
    out.emit('error', failure('ENOSPC'));
    out.emit('error', failure('ENOSPC'));
    out.emit('error', failure('EPIPE'));
    await new Promise((r) => setImmediate(r));
    expect(written.err).toBe('[log] writing to stdout failed (ENOSPC); its further output is dropped\n');
  });

  it('says nothing when the reader is only gone', async () => {
    const { err, written } = guardedPair();
    err.emit('error', failure('EPIPE'));
    await new Promise((r) => setImmediate(r));
    expect(written.out).toBe('');
  });
});
