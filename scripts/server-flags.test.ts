import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from './server-flags.mjs';

const root = path.resolve(import.meta.dirname, '..');

describe('server Node.js flags', () => {
  it('are the same wherever a production server starts (npm run serve, the image)', () => {
    const serve = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.serve!;
    const image = /NODE_OPTIONS=(\S+)/.exec(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'))?.[1];
    expect(SERVER_NODE_FLAGS.length).toBeGreaterThan(0);
    for (const flag of SERVER_NODE_FLAGS) {
      expect(serve.split(' ')).toContain(flag);
      expect(image?.split(' ')).toContain(flag);
    }
  });
});
