// The commit a build comes from, noted beside it (infra/dist/source.json) so that whoever records
// the build as a release (npm run release, npm start's seeding) names it (docs/decisions/042-releases.md).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** `git rev-parse HEAD` and whether the tree has uncommitted changes; 'unknown' outside a git checkout. */
export function gitSource(cwd = process.cwd()) {
  try {
    const gitCommit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { gitCommit, gitDirty: status.trim().length > 0 };
  } catch {
    return { gitCommit: 'unknown', gitDirty: true };
  }
}

/** Writes <dir>/source.json with the commit the build in `dir` came from. */
export function noteBuildSource(dir, source = gitSource()) {
  fs.writeFileSync(path.join(dir, 'source.json'), `${JSON.stringify(source, null, 2)}\n`);
  return source;
}
