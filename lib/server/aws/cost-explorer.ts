import 'server-only';
import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetCostForecastCommand,
  type Expression,
  type GetCostAndUsageCommandOutput,
} from '@aws-sdk/client-cost-explorer';
import { AppError } from '@/lib/errors';
import type { CostAndUsage, CostExplorerPort, CostGroup, CostMetric, CostPeriod, CostTagFilter } from '@/lib/costs/ports';
import { toAppError } from '@/lib/server/aws/errors';

/** Cost Explorer has one endpoint, in us-east-1, whatever region the portal runs in. */
export const COST_EXPLORER_REGION = 'us-east-1';

/**
 * Stops a runaway pagination: 40 pages are $0.40, and the overview's queries need one or two.
 * Hitting it means a query asks for far more rows than the page can show.
 */
export const MAX_PAGES = 40;

const FORECAST_METRIC: Record<CostMetric, 'UNBLENDED_COST' | 'AMORTIZED_COST'> = { UnblendedCost: 'UNBLENDED_COST', AmortizedCost: 'AMORTIZED_COST' };

/** The filter as a Cost Explorer expression (one condition, or the AND of them): tags, and the LINKED_ACCOUNT dimension. */
export function toExpression(filter: CostTagFilter | undefined): Expression | undefined {
  const parts: Expression[] = [];
  if (filter?.linkedAccounts?.length) parts.push({ Dimensions: { Key: 'LINKED_ACCOUNT', Values: [...filter.linkedAccounts], MatchOptions: ['EQUALS'] } });
  if (filter?.env) parts.push({ Tags: { Key: 'env', Values: [filter.env], MatchOptions: ['EQUALS'] } });
  if (filter?.team) parts.push({ Tags: { Key: 'team', Values: [filter.team], MatchOptions: ['EQUALS'] } });
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { And: parts };
}

/** Cost Explorer names tag groups "env$prod" ("env$" when untagged): keep the value. */
function groupKey(key: string, isTag: boolean): string {
  if (!isTag) return key;
  const at = key.indexOf('$');
  return at >= 0 ? key.slice(at + 1) : key;
}

function amount(value: string | undefined): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

function mapError(e: unknown, operation: string): AppError {
  // Cost Explorer reports throttling as LimitExceededException ("too many calls in a short period").
  if ((e as { name?: string } | null)?.name === 'LimitExceededException') {
    return new AppError('RATE_LIMITED', `${operation} was throttled by AWS; try again later`, { awsError: 'LimitExceededException', operation });
  }
  return toAppError(e, operation);
}

/** The Cost Explorer adapter: GetCostAndUsage paged through NextPageToken, each page a paid request; GetCostForecast. */
export function createAwsCostExplorer(client: CostExplorerClient): CostExplorerPort {
  return {
    mode: 'aws',
    async getCostAndUsage(query, onRequest) {
      const isTag = query.groupBy.map((g) => g.type === 'TAG');
      const filter = toExpression(query.filter);
      const periods = new Map<string, CostPeriod>();
      let token: string | undefined;
      let pages = 0;
      do {
        if (pages >= MAX_PAGES) throw new AppError('UNAVAILABLE', `Cost Explorer GetCostAndUsage: more than ${MAX_PAGES} pages; narrow the query`);
        let out: GetCostAndUsageCommandOutput;
        try {
          out = await client.send(
            new GetCostAndUsageCommand({
              TimePeriod: { Start: query.start, End: query.end },
              Granularity: query.granularity,
              Metrics: [...query.metrics],
              GroupBy: query.groupBy.map((g) => ({ Type: g.type, Key: g.key })),
              ...(filter ? { Filter: filter } : {}),
              ...(token ? { NextPageToken: token } : {}),
            }),
          );
        } catch (e) {
          throw mapError(e, 'Cost Explorer GetCostAndUsage');
        }
        pages++;
        onRequest('GetCostAndUsage');
        for (const r of out.ResultsByTime ?? []) {
          const start = r.TimePeriod?.Start ?? '';
          // A period's groups may continue on the next page.
          const period = periods.get(start) ?? { start, end: r.TimePeriod?.End ?? '', estimated: r.Estimated ?? false, groups: [] };
          period.estimated ||= r.Estimated ?? false;
          for (const g of r.Groups ?? []) {
            const amounts: CostGroup['amounts'] = {};
            for (const m of query.metrics) amounts[m] = amount(g.Metrics?.[m]?.Amount);
            period.groups.push({ keys: (g.Keys ?? []).map((k, i) => groupKey(k, isTag[i] ?? false)), amounts });
          }
          periods.set(start, period);
        }
        token = out.NextPageToken || undefined;
      } while (token);
      const result: CostAndUsage = { periods: [...periods.values()].sort((a, b) => a.start.localeCompare(b.start)) };
      return result;
    },
    async getCostForecast(query, onRequest) {
      const filter = toExpression(query.filter);
      try {
        const out = await client.send(
          new GetCostForecastCommand({
            TimePeriod: { Start: query.start, End: query.end },
            Metric: FORECAST_METRIC[query.metric],
            Granularity: query.granularity,
            PredictionIntervalLevel: query.predictionIntervalLevel,
            ...(filter ? { Filter: filter } : {}),
          }),
        );
        onRequest('GetCostForecast');
        const periods = (out.ForecastResultsByTime ?? []).map((f) => ({
          start: f.TimePeriod?.Start ?? '',
          end: f.TimePeriod?.End ?? '',
          mean: amount(f.MeanValue),
          lower: amount(f.PredictionIntervalLowerBound ?? f.MeanValue),
          upper: amount(f.PredictionIntervalUpperBound ?? f.MeanValue),
        }));
        return {
          total: { mean: amount(out.Total?.Amount), lower: periods.reduce((s, p) => s + p.lower, 0), upper: periods.reduce((s, p) => s + p.upper, 0) },
          periods,
        };
      } catch (e) {
        // Too little history to forecast (a new account or a new tag): no forecast, not an error. The request was still made.
        if ((e as { name?: string } | null)?.name === 'DataUnavailableException') {
          onRequest('GetCostForecast');
          return { total: { mean: 0, lower: 0, upper: 0 }, periods: [] };
        }
        throw mapError(e, 'Cost Explorer GetCostForecast');
      }
    },
  };
}

/** The shared client settings with Cost Explorer's region; the endpoint override (AWS_ENDPOINT_URL) is kept. */
export function costExplorerClientConfig<C extends { region: string }>(config: C): C {
  return { ...config, region: COST_EXPLORER_REGION };
}
