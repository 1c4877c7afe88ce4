import { createHash } from 'node:crypto';
import { auditEntry, type AuditActor } from '@/lib/audit/model';
import { AppError } from '@/lib/errors';
import type { ArtifactStore, ReleaseStore } from '@/lib/deployments/ports';

// Releases of the serverless stack's functions (docs/decisions/042-releases.md): what
// `npm run release` builds with infra/build.mjs, uploads keyed by content hash and records.

/** The functions of the stack and the template parameter that carries each one's S3 key (as infra/build.mjs). */
export const RELEASE_FUNCTIONS = [
  { name: 'api', parameter: 'ApiCodeKey' },
  { name: 'worker', parameter: 'WorkerCodeKey' },
  { name: 'notifier', parameter: 'NotifierCodeKey' },
] as const;

export type ReleaseFunctionName = (typeof RELEASE_FUNCTIONS)[number]['name'];

/** One function of a release: its zip's SHA-256 (hex), size and the object key it was uploaded to. */
export interface ReleaseFunction {
  name: ReleaseFunctionName;
  sha256: string;
  bytes: number;
  key: string;
}

export interface ReleaseRecord {
  /** `r-` and the first 12 hex characters of `contentSha256`: the same artifacts, the same id. */
  id: string;
  contentSha256: string;
  gitCommit: string;
  gitDirty: boolean;
  functions: ReleaseFunction[];
  builtAt: Date;
  builtBy: string;
}

/** A built function as infra/build.mjs leaves it: the zip and what its manifest says about it. */
export interface BuiltArtifact {
  name: string;
  sha256: string;
  bytes: number;
  body: Uint8Array;
}

export interface RecordReleaseInput {
  artifacts: readonly BuiltArtifact[];
  gitCommit: string;
  gitDirty: boolean;
  builtAt: Date;
  /** The OS user, GATEHOUSE_RELEASE_BY, or the portal user who asked for it. */
  builtBy: string;
}

export interface RecordReleaseDeps {
  releases: ReleaseStore;
  /** Every place the zips go (each account's deployment bucket, or each simulated account's store). */
  artifactStores: readonly ArtifactStore[];
  actor: AuditActor;
  now: () => Date;
}

/** Where a function's zip is kept: by content hash, so an upload is idempotent and a key names one zip. */
export function artifactKey(name: string, sha256: string): string {
  return `gatehouse/artifacts/${name}/${sha256}.zip`;
}

/** The hash that identifies a release: each function's name and SHA-256, sorted by name. */
export function releaseContentSha256(functions: readonly { name: string; sha256: string }[]): string {
  const lines = [...functions].sort((a, b) => a.name.localeCompare(b.name)).map((f) => `${f.name} ${f.sha256}\n`);
  return createHash('sha256').update(lines.join(''), 'utf8').digest('hex');
}

/** The release id of some content: short enough to read in a diff, derived so it cannot disagree with the hashes. */
export function releaseIdOf(contentSha256: string): string {
  return `r-${contentSha256.slice(0, 12)}`;
}

/** The first 12 characters of a hash: what the pages show. */
export function shortHash(sha256: string): string {
  return sha256.slice(0, 12);
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const GIT_COMMIT = /^[0-9a-f]{40}$|^unknown$/;

/**
 * Checks a build before anything is uploaded: exactly the stack's functions, each zip's bytes
 * hashing to what the manifest says. A mismatch is a broken build, refused with the reason.
 */
export function validateBuild(input: RecordReleaseInput): ReleaseFunction[] {
  const byName = new Map(input.artifacts.map((a) => [a.name, a]));
  const expected = RELEASE_FUNCTIONS.map((f) => f.name);
  const unknown = input.artifacts.map((a) => a.name).filter((n) => !expected.includes(n as ReleaseFunctionName));
  if (unknown.length || byName.size !== input.artifacts.length)
    throw new AppError('UNPROCESSABLE', `A release holds each of ${expected.join(', ')} once; the build has ${input.artifacts.map((a) => a.name).join(', ')}.`);
  if (!GIT_COMMIT.test(input.gitCommit)) throw new AppError('UNPROCESSABLE', `Not a git commit: ${input.gitCommit}.`);
  if (!input.builtBy.trim()) throw new AppError('UNPROCESSABLE', 'A release names who built it.');
  return expected.map((name) => {
    const a = byName.get(name);
    if (!a) throw new AppError('UNPROCESSABLE', `The build has no ${name} function: run infra/build.mjs again.`);
    const actual = createHash('sha256').update(a.body).digest('hex');
    if (!SHA256_HEX.test(a.sha256) || actual !== a.sha256 || a.body.byteLength !== a.bytes)
      throw new AppError(
        'UNPROCESSABLE',
        `${name}: the zip (${a.body.byteLength} bytes, sha256 ${actual}) is not what the manifest says (${a.bytes} bytes, sha256 ${a.sha256}); build again.`,
      );
    return { name, sha256: a.sha256, bytes: a.bytes, key: artifactKey(name, a.sha256) };
  });
}

/**
 * Uploads a build's zips to every artifact store, then records it as a release (with a
 * `release.recorded` audit event) unless the same artifacts were recorded before: same hashes,
 * same release, and that one is returned with `created: false`. Uploading first means a recorded
 * release always has its zips; a failed upload records nothing, and a retry writes the same keys.
 */
export async function recordRelease(input: RecordReleaseInput, deps: RecordReleaseDeps): Promise<{ release: ReleaseRecord; created: boolean }> {
  const functions = validateBuild(input);
  if (!deps.artifactStores.length)
    throw new AppError('UNAVAILABLE', 'No artifact store is configured: set GATEHOUSE_DEPLOY_TEMPLATE_BUCKET (or each account’s templateBucket).');
  const bodies = new Map(input.artifacts.map((a) => [a.name, a.body]));
  for (const store of deps.artifactStores) {
    for (const f of functions) await store.put(f.key, bodies.get(f.name)!, f.sha256);
  }
  const contentSha256 = releaseContentSha256(functions);
  const release: ReleaseRecord = {
    id: releaseIdOf(contentSha256),
    contentSha256,
    gitCommit: input.gitCommit,
    gitDirty: input.gitDirty,
    functions,
    builtAt: input.builtAt,
    builtBy: input.builtBy.trim(),
  };
  const entry = auditEntry(
    deps.actor,
    'release.recorded',
    { type: 'release', id: release.id },
    {
      after: {
        gitCommit: release.gitCommit,
        gitDirty: release.gitDirty,
        builtBy: release.builtBy,
        functions: functions.map((f) => ({ name: f.name, sha256: f.sha256, bytes: f.bytes })),
        stores: deps.artifactStores.map((s) => s.location),
      },
    },
    deps.now(),
  );
  return deps.releases.insertIfAbsent(release, entry);
}

/** Where one function's code comes from: a key, and the release it belongs to (null: none recorded, e.g. `api/unbuilt.zip`). */
export interface CodeRef {
  key: string;
  releaseId: string | null;
}

/** What a plan does to one function's code: the stack's before, the release's after. */
export interface CodeChange {
  name: ReleaseFunctionName;
  parameter: string;
  /** Null when the stack does not exist yet. */
  from: CodeRef | null;
  to: CodeRef;
}

/** The placeholder the committed parameter files carry until something is built: never deployable. */
const PLACEHOLDER = /(^|\/)unbuilt\.zip$/;

/** The code parameters of the template: each function's key, which only a release sets. */
export const CODE_PARAMETERS: readonly string[] = RELEASE_FUNCTIONS.map((f) => f.parameter);

/** The template parameter that names the release a stack runs: the release's id, set by the release only. */
export const RELEASE_LABEL_PARAMETER = 'ReleaseLabel';

/**
 * Refuses a ReleaseLabel given with a plan that is not the id of the release it deploys: the label
 * is what the stack's descriptions, tags and the pages say it runs, so it must not contradict
 * the code. `given` is the value typed (undefined when none was, or when it is the parameter
 * file's, which the release replaces as it replaces the file's code keys).
 */
export function assertReleaseLabel(given: string | undefined, release: ReleaseRecord | null): void {
  if (given === undefined || given === release?.id) return;
  throw new AppError(
    'UNPROCESSABLE',
    release
      ? `${RELEASE_LABEL_PARAMETER} ${given} does not name the release this plan deploys (${release.id}): the release sets it. Leave ${RELEASE_LABEL_PARAMETER} out, or pick the release to deploy.`
      : `${RELEASE_LABEL_PARAMETER} comes from the release a plan deploys, and none is recorded: record one with npm run release, then plan again.`,
  );
}

/**
 * The template parameters a release sets: each function's S3 key, ReleaseLabel (when the template
 * has it) to the release id, so the stack's own tags and outputs name it, and in aws mode
 * ArtifactBucket to the bucket the account's zips were uploaded to.
 */
export function releaseParameters(release: ReleaseRecord, templateParameters: readonly string[], bucket: string | null = null): Record<string, string> {
  const values: Record<string, string> = {};
  for (const f of RELEASE_FUNCTIONS) {
    const built = release.functions.find((x) => x.name === f.name);
    if (!built) throw new AppError('UNPROCESSABLE', `Release ${release.id} has no ${f.name} function: it cannot be deployed.`);
    values[f.parameter] = built.key;
  }
  if (templateParameters.includes(RELEASE_LABEL_PARAMETER)) values[RELEASE_LABEL_PARAMETER] = release.id;
  // The zips are in the account's deployment bucket (where `npm run release` put them): Lambda loads them from there.
  if (bucket && templateParameters.includes('ArtifactBucket')) values.ArtifactBucket = bucket;
  return values;
}

/**
 * Refuses code that is not a built artifact: a placeholder (`unbuilt.zip`) or an empty key would
 * replace the running functions with nothing. The reason names the function and what to do.
 */
export function assertDeployableCode(values: Record<string, string>): void {
  for (const f of RELEASE_FUNCTIONS) {
    const key = values[f.parameter];
    if (key === undefined) continue;
    if (!key || PLACEHOLDER.test(key))
      throw new AppError(
        'UNPROCESSABLE',
        `${f.parameter} is ${key ? `the placeholder ${key}` : 'empty'}: the ${f.name} function has no built artifact. Build and record one with npm run release, then plan again.`,
      );
  }
}

/**
 * Per function, the code the stack runs (its current parameters, matched to the recorded release
 * holding that key) and the code the plan's release deploys.
 */
export function codeChangesOf(release: ReleaseRecord, current: Record<string, string> | null, known: readonly ReleaseRecord[]): CodeChange[] {
  const releaseOfKey = (key: string) => known.find((r) => r.functions.some((f) => f.key === key))?.id ?? null;
  return RELEASE_FUNCTIONS.map((f) => {
    const to = release.functions.find((x) => x.name === f.name)!;
    const before = current?.[f.parameter];
    return {
      name: f.name,
      parameter: f.parameter,
      from: before === undefined ? null : { key: before, releaseId: releaseOfKey(before) },
      to: { key: to.key, releaseId: release.id },
    };
  });
}

const ARTIFACT_KEY = /^gatehouse\/artifacts\/[a-z]+\/([0-9a-f]{64})\.zip$/;

/** The SHA-256 of the zip an artifact key names (as `artifactKey` makes them); null for a key of another shape. */
export function artifactSha256(key: string): string | null {
  return ARTIFACT_KEY.exec(key)?.[1] ?? null;
}

/** One side of a code change as the diff shows it: "release r-… (sha256 …)", or the bare key when no release holds it. */
export function describeCodeRef(ref: CodeRef | null): string {
  if (!ref) return 'none';
  if (!ref.releaseId) return `${ref.key} (no release)`;
  const sha256 = artifactSha256(ref.key);
  return sha256 ? `release ${ref.releaseId} (sha256 ${shortHash(sha256)})` : `release ${ref.releaseId}`;
}

/** "code: release A -> release B", as the plan's diff shows each function. */
export function describeCodeChange(c: CodeChange): string {
  // The same zip in both releases: the function's code does not change, whatever the release is called.
  if (c.from?.key === c.to.key) return `code: unchanged (${describeCodeRef(c.to)})`;
  return `code: ${describeCodeRef(c.from)} -> ${describeCodeRef(c.to)}`;
}
