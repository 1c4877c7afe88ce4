import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { artifactSha256, shortHash, type CodeChange, type CodeRef, type ReleaseRecord } from '@/lib/deployments/releases';
import { formatAge, formatInstant } from '@/lib/i18n/format';
import type { Translate } from '@/lib/i18n/messages';

/** The recorded releases on the deployments page: id, commit, age, each function's short hash (docs/decisions/042-releases.md). */
export function ReleasesTable({ releases, t, zone, now }: { releases: ReleaseRecord[]; t: Translate; zone: string; now: number }) {
  return (
    <Card data-testid="releases">
      <CardTitle>{t('deploy.releases.title')}</CardTitle>
      <p className="text-sm text-muted">{t('deploy.releases.intro')}</p>
      {releases.length ? (
        <Table className="mt-2">
          <thead>
            <tr>
              <Th>{t('deploy.releases.id')}</Th>
              <Th>{t('deploy.releases.commit')}</Th>
              <Th>{t('deploy.releases.built')}</Th>
              <Th>{t('deploy.releases.by')}</Th>
              <Th>{t('deploy.releases.functions')}</Th>
            </tr>
          </thead>
          <tbody>
            {releases.map((r) => (
              <tr key={r.id}>
                <Td className="font-mono text-xs">{r.id}</Td>
                <Td className="font-mono text-xs" title={r.gitCommit}>
                  {r.gitCommit.slice(0, 12)}
                  {r.gitDirty ? <span className="ml-1 font-sans text-warning">({t('deploy.releases.dirty')})</span> : null}
                </Td>
                <Td className="text-xs">
                  <time dateTime={r.builtAt.toISOString()} title={formatInstant(r.builtAt, t.locale, zone)}>
                    {formatAge(r.builtAt, now, t.locale)}
                  </time>
                </Td>
                <Td className="text-xs">{r.builtBy}</Td>
                <Td className="font-mono text-xs">
                  {r.functions.map((f) => (
                    <span key={f.name} className="mr-3 whitespace-nowrap" title={f.sha256}>
                      {f.name} {shortHash(f.sha256)}
                    </span>
                  ))}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <p className="mt-2 text-sm text-warning">{t('deploy.releases.empty')}</p>
      )}
    </Card>
  );
}

function codeRefText(ref: CodeRef | null, t: Translate): string {
  if (!ref) return t('deploy.code.none');
  if (!ref.releaseId) return t('deploy.code.noRelease', { key: ref.key });
  // The zip's hash beside the release: the diff names the bytes it deploys, not only their label.
  const sha256 = artifactSha256(ref.key);
  return sha256 ? t('release.code.ref', { id: ref.releaseId, sha: shortHash(sha256) }) : t('deploy.code.release', { id: ref.releaseId });
}

/**
 * One function's line of a plan's code diff: "api: code: release A (sha256 …) -> release B (sha256 …)"
 * (lib/deployments/releases.ts says it in English).
 */
export function codeChangeText(c: CodeChange, t: Translate): string {
  if (c.from?.key === c.to.key) return t('deploy.code.unchanged', { fn: c.name, to: codeRefText(c.to, t) });
  return t('deploy.code.change', { fn: c.name, from: codeRefText(c.from, t), to: codeRefText(c.to, t) });
}
