import { CostExplorerClient, GetCostAndUsageCommand, GetCostForecastCommand } from '@aws-sdk/client-cost-explorer';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import type { CostAndUsageQuery } from '@/lib/costs/ports';
import { loadCostOverview } from '@/lib/costs/service';
import { memoryCostCacheStore } from '@/lib/costs/test-fakes';
import { costExplorerClientConfig, createAwsCostExplorer, MAX_PAGES } from '@/lib/server/aws/cost-explorer';

const client = new CostExplorerClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
const ce = mockClient(client);
const explorer = createAwsCostExplorer(client);

const money = (amount: string) => ({ Amount: amount, Unit: 'USD' });
const query: CostAndUsageQuery = {
  start: '2026-10-01',
  end: '2026-11-30',
  granularity: 'DAILY',
  metrics: ['UnblendedCost', 'AmortizedCost'],
  groupBy: [{ type: 'DIMENSION', key: 'SERVICE' }],
};

beforeEach(() => ce.reset());

describe('createAwsCostExplorer.getCostAndUsage', () => {
  it('pages through NextPageToken, counts every page as a paid request, and merges a period split across pages', async () => {
    ce.on(GetCostAndUsageCommand)
      .resolvesOnce({
        ResultsByTime: [
          {
            TimePeriod: { Start: '2026-10-01', End: '2026-10-02' },
            Estimated: false,
            Groups: [{ Keys: ['AWS Lambda'], Metrics: { UnblendedCost: money('1.25'), AmortizedCost: money('1.25') } }],
          },
        ],
        NextPageToken: 'page-2',
      })
      .resolvesOnce({
        ResultsByTime: [
          {
            TimePeriod: { Start: '2026-10-01', End: '2026-10-02' },
            Estimated: false,
            Groups: [{ Keys: ['Amazon Relational Database Service'], Metrics: { UnblendedCost: money('3'), AmortizedCost: money('2.5') } }],
          },
          { TimePeriod: { Start: '2026-10-02', End: '2026-10-03' }, Estimated: true, Groups: [] },
        ],
        NextPageToken: 'page-3',
      })
      .resolvesOnce({
        ResultsByTime: [
          {
            TimePeriod: { Start: '2026-10-02', End: '2026-10-03' },
            Estimated: true,
            Groups: [{ Keys: ['AWS Lambda'], Metrics: { UnblendedCost: money('0.5'), AmortizedCost: money('0.5') } }],
          },
        ],
      });
    const paid: string[] = [];

    const result = await explorer.getCostAndUsage(query, (op) => paid.push(op));

    expect(paid).toEqual(['GetCostAndUsage', 'GetCostAndUsage', 'GetCostAndUsage']);
    const calls = ce.commandCalls(GetCostAndUsageCommand).map((c) => c.args[0].input);
    expect(calls[0]).toEqual({
      TimePeriod: { Start: '2026-10-01', End: '2026-11-30' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost', 'AmortizedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
    });
    expect(calls[1]).toEqual({ ...calls[0], NextPageToken: 'page-2' });
    expect(calls[2]).toEqual({ ...calls[0], NextPageToken: 'page-3' });
    expect(result.periods).toEqual([
      {
        start: '2026-10-01',
        end: '2026-10-02',
        estimated: false,
        groups: [
          { keys: ['AWS Lambda'], amounts: { UnblendedCost: 1.25, AmortizedCost: 1.25 } },
          { keys: ['Amazon Relational Database Service'], amounts: { UnblendedCost: 3, AmortizedCost: 2.5 } },
        ],
      },
      { start: '2026-10-02', end: '2026-10-03', estimated: true, groups: [{ keys: ['AWS Lambda'], amounts: { UnblendedCost: 0.5, AmortizedCost: 0.5 } }] },
    ]);
  });

  it('groups by the env and team tags, filters on them, and keeps only the tag values ("" when untagged)', async () => {
    ce.on(GetCostAndUsageCommand).resolves({
      ResultsByTime: [
        {
          TimePeriod: { Start: '2026-11-01', End: '2026-12-01' },
          Estimated: true,
          Groups: [
            { Keys: ['env$prod', 'team$payments'], Metrics: { UnblendedCost: money('10') } },
            { Keys: ['env$', 'team$'], Metrics: { UnblendedCost: money('0.75') } },
          ],
        },
      ],
    });

    const result = await explorer.getCostAndUsage(
      {
        ...query,
        granularity: 'MONTHLY',
        metrics: ['UnblendedCost'],
        groupBy: [
          { type: 'TAG', key: 'env' },
          { type: 'TAG', key: 'team' },
        ],
        filter: { env: 'prod', team: 'payments' },
      },
      () => {},
    );

    expect(ce).toHaveReceivedCommandWith(GetCostAndUsageCommand, {
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      GroupBy: [
        { Type: 'TAG', Key: 'env' },
        { Type: 'TAG', Key: 'team' },
      ],
      Filter: {
        And: [{ Tags: { Key: 'env', Values: ['prod'], MatchOptions: ['EQUALS'] } }, { Tags: { Key: 'team', Values: ['payments'], MatchOptions: ['EQUALS'] } }],
      },
    });
    expect(result.periods[0]!.groups).toEqual([
      { keys: ['prod', 'payments'], amounts: { UnblendedCost: 10 } },
      { keys: ['', ''], amounts: { UnblendedCost: 0.75 } },
    ]);
  });

  it('maps Cost Explorer throttling (LimitExceededException) to RATE_LIMITED and counts no unanswered page', async () => {
    ce.on(GetCostAndUsageCommand).rejects(Object.assign(new Error('You have exceeded the rate limit'), { name: 'LimitExceededException', $metadata: {} }));
    const paid: string[] = [];
    const e = await explorer.getCostAndUsage(query, (op) => paid.push(op)).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('RATE_LIMITED');
    expect(paid).toEqual([]);
  });

  it(`stops after ${MAX_PAGES} pages rather than paying without end`, async () => {
    ce.on(GetCostAndUsageCommand).resolves({ ResultsByTime: [], NextPageToken: 'again' });
    const paid: string[] = [];
    const e = await explorer.getCostAndUsage(query, (op) => paid.push(op)).catch((err: unknown) => err);
    expect((e as AppError).code).toBe('UNAVAILABLE');
    expect(paid).toHaveLength(MAX_PAGES);
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(MAX_PAGES);
  });
});

describe('createAwsCostExplorer.getCostForecast', () => {
  it('asks for the forecast with its band and maps each month', async () => {
    ce.on(GetCostForecastCommand).resolves({
      Total: money('400'),
      ForecastResultsByTime: [
        { TimePeriod: { Start: '2026-11-29', End: '2026-12-01' }, MeanValue: '20', PredictionIntervalLowerBound: '18', PredictionIntervalUpperBound: '23' },
        { TimePeriod: { Start: '2026-12-01', End: '2027-01-01' }, MeanValue: '380', PredictionIntervalLowerBound: '340', PredictionIntervalUpperBound: '420' },
      ],
    });
    const paid: string[] = [];

    const f = await explorer.getCostForecast(
      { start: '2026-11-29', end: '2027-03-01', granularity: 'MONTHLY', metric: 'AmortizedCost', predictionIntervalLevel: 80, filter: { env: 'prod' } },
      (op) => paid.push(op),
    );

    expect(ce.commandCalls(GetCostForecastCommand)[0]!.args[0].input).toEqual({
      TimePeriod: { Start: '2026-11-29', End: '2027-03-01' },
      Metric: 'AMORTIZED_COST',
      Granularity: 'MONTHLY',
      PredictionIntervalLevel: 80,
      Filter: { Tags: { Key: 'env', Values: ['prod'], MatchOptions: ['EQUALS'] } },
    });
    expect(paid).toEqual(['GetCostForecast']);
    expect(f).toEqual({
      total: { mean: 400, lower: 358, upper: 443 },
      periods: [
        { start: '2026-11-29', end: '2026-12-01', mean: 20, lower: 18, upper: 23 },
        { start: '2026-12-01', end: '2027-01-01', mean: 380, lower: 340, upper: 420 },
      ],
    });
  });

  it('answers an empty forecast when Cost Explorer has too little history', async () => {
    ce.on(GetCostForecastCommand).rejects(
      Object.assign(new Error('Insufficient amount of historical data'), { name: 'DataUnavailableException', $metadata: {} }),
    );
    const f = await explorer.getCostForecast(
      { start: '2026-11-29', end: '2027-03-01', granularity: 'MONTHLY', metric: 'UnblendedCost', predictionIntervalLevel: 80 },
      () => {},
    );
    expect(f).toEqual({ total: { mean: 0, lower: 0, upper: 0 }, periods: [] });
  });
});

describe('a failing GetCostForecast', () => {
  const serverError = () =>
    Object.assign(new Error('We encountered an internal error. Please try again.'), {
      name: 'InternalServerError',
      $fault: 'server',
      $metadata: { httpStatusCode: 500, requestId: 'r-500' },
    });

  it('rejects with an AppError and bills nothing', async () => {
    ce.on(GetCostForecastCommand).rejects(serverError());
    const paid: string[] = [];
    const e = await explorer
      .getCostForecast({ start: '2026-11-29', end: '2027-03-01', granularity: 'MONTHLY', metric: 'UnblendedCost', predictionIntervalLevel: 80 }, (op) =>
        paid.push(op),
      )
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ code: 'UNAVAILABLE', details: { awsError: 'InternalServerError' } });
    expect(paid).toEqual([]);
  });

  it('leaves the overview with its billed figures (cached) and the forecast marked unavailable; the next viewers do not ask again', async () => {
    ce.on(GetCostAndUsageCommand).resolves({
      ResultsByTime: [
        {
          TimePeriod: { Start: '2026-11-01', End: '2026-11-02' },
          Estimated: true,
          Groups: [{ Keys: ['AWS Lambda'], Metrics: { UnblendedCost: money('7'), AmortizedCost: money('7') } }],
        },
      ],
    });
    ce.on(GetCostForecastCommand).rejects(serverError());
    const mem = memoryCostCacheStore();
    const at = new Date('2026-11-01T12:00:00Z');
    const deps = {
      store: mem.store,
      explorer,
      source: { kind: 'home' as const },
      mode: 'aws' as const,
      now: () => at,
      sleep: async () => {},
      refreshMs: 12 * 3_600_000,
      holder: 'one',
      inflight: new Map(),
    };

    const views = await Promise.all(Array.from({ length: 20 }, () => loadCostOverview(deps, { basis: 'unblended' })));
    await loadCostOverview(deps, { basis: 'unblended' });

    expect(views.every((v) => v.overview.monthToDate === 7 && v.overview.forecast === null)).toBe(true);
    expect(views[0]!.forecastUnavailable).toEqual({ code: 'UNAVAILABLE', failedAt: at, retryAt: new Date(at.getTime() + 5 * 60_000) });
    expect(ce).toHaveReceivedCommandTimes(GetCostForecastCommand, 1);
    expect(ce).toHaveReceivedCommandTimes(GetCostAndUsageCommand, 3);
  });
});

describe('costExplorerClientConfig', () => {
  it('uses us-east-1 whatever AWS_REGION says, and keeps the endpoint override', () => {
    expect(costExplorerClientConfig({ region: 'ap-northeast-2', maxAttempts: 5, retryMode: 'adaptive', endpoint: 'http://127.0.0.1:4566' })).toEqual({
      region: 'us-east-1',
      maxAttempts: 5,
      retryMode: 'adaptive',
      endpoint: 'http://127.0.0.1:4566',
    });
  });
});

describe('createAwsCostExplorer in the management account', () => {
  it('groups by the LINKED_ACCOUNT dimension and filters to the configured accounts, with the team tag ANDed', async () => {
    ce.on(GetCostAndUsageCommand).resolves({
      ResultsByTime: [
        {
          TimePeriod: { Start: '2026-11-01', End: '2026-12-01' },
          Estimated: true,
          Groups: [{ Keys: ['333333333333', 'team$payments'], Metrics: { UnblendedCost: money('40'), AmortizedCost: money('40') } }],
        },
      ],
    });
    const answer = await explorer.getCostAndUsage(
      {
        start: '2025-11-01',
        end: '2026-11-21',
        granularity: 'MONTHLY',
        metrics: ['UnblendedCost', 'AmortizedCost'],
        groupBy: [
          { type: 'DIMENSION', key: 'LINKED_ACCOUNT' },
          { type: 'TAG', key: 'team' },
        ],
        filter: { team: 'payments', linkedAccounts: ['111111111111', '333333333333'] },
      },
      () => {},
    );
    expect(ce.commandCalls(GetCostAndUsageCommand)[0]!.args[0].input).toEqual({
      TimePeriod: { Start: '2025-11-01', End: '2026-11-21' },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost', 'AmortizedCost'],
      GroupBy: [
        { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
        { Type: 'TAG', Key: 'team' },
      ],
      Filter: {
        And: [
          { Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['111111111111', '333333333333'], MatchOptions: ['EQUALS'] } },
          { Tags: { Key: 'team', Values: ['payments'], MatchOptions: ['EQUALS'] } },
        ],
      },
    });
    // The account id is a dimension value, kept as is; the tag key's prefix is dropped.
    expect(answer.periods[0]!.groups).toEqual([{ keys: ['333333333333', 'payments'], amounts: { UnblendedCost: 40, AmortizedCost: 40 } }]);
  });

  it('forecasts for the configured accounts only', async () => {
    ce.on(GetCostForecastCommand).resolves({ Total: { Amount: '10', Unit: 'USD' }, ForecastResultsByTime: [] });
    await explorer.getCostForecast(
      {
        start: '2026-11-20',
        end: '2027-03-01',
        granularity: 'MONTHLY',
        metric: 'UnblendedCost',
        predictionIntervalLevel: 80,
        filter: { linkedAccounts: ['333333333333'] },
      },
      () => {},
    );
    expect(ce.commandCalls(GetCostForecastCommand)[0]!.args[0].input).toEqual({
      TimePeriod: { Start: '2026-11-20', End: '2027-03-01' },
      Metric: 'UNBLENDED_COST',
      Granularity: 'MONTHLY',
      PredictionIntervalLevel: 80,
      Filter: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['333333333333'], MatchOptions: ['EQUALS'] } },
    });
  });
});
