import { describeFailure, type DeploymentResult } from '@/lib/deployments/result';
import type { Translate } from '@/lib/i18n/messages';

const TONE = { SUCCEEDED: 'text-green-700', FAILED: 'text-red-700', ROLLED_BACK: 'text-red-700' } as const;

/** A deployment's result in the history: succeeded, or failed / rolled back with CloudFormation's reason; why a plan never ran. */
export function DeploymentResultCell({ result, t }: { result: DeploymentResult | null; t: Translate }) {
  if (!result) return <span className="text-muted">—</span>;
  if (result.kind === 'NOT_RUN')
    return (
      <span data-testid="deployment-result" data-result="NOT_RUN">
        {result.reason ?? '—'}
      </span>
    );
  const why = result.kind === 'SUCCEEDED' ? null : (describeFailure(result) ?? result.stackStatus);
  return (
    <div data-testid="deployment-result" data-result={result.kind}>
      <span className={`font-semibold ${TONE[result.kind]}`}>{t(`deploy.result.${result.kind}`)}</span>
      {why ? <div className="mt-1 break-words font-mono">{why}</div> : null}
    </div>
  );
}
