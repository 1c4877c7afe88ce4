/**
 * Opt-in check of the Cost Explorer adapter against a real API: `npm run test:aws` with
 * AWS_ENDPOINT_URL (moto answers GetCostAndUsage) or GATEHOUSE_AWS_E2E=1 and credentials for a
 * sandbox account. Read-only; on real AWS each run costs $0.02 (two requests) or more with pages.
 */
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { describe, expect, it } from 'vitest';
import { overviewQueries } from '@/lib/costs/billed';
import { awsClientConfig } from '@/lib/server/aws/clients';
import { COST_EXPLORER_REGION, costExplorerClientConfig, createAwsCostExplorer } from '@/lib/server/aws/cost-explorer';

// eslint-disable-next-line no-restricted-properties -- test-only switch, read once here
const { AWS_ENDPOINT_URL, GATEHOUSE_AWS_E2E } = process.env;
const realAws = GATEHOUSE_AWS_E2E === '1';
const enabled = Boolean(AWS_ENDPOINT_URL) || realAws;
if (!enabled) console.info('skipped: set AWS_ENDPOINT_URL (moto) or GATEHOUSE_AWS_E2E=1 with credentials for a sandbox account');

describe.skipIf(!enabled)('Cost Explorer adapter against AWS', () => {
  const config = costExplorerClientConfig(enabled ? awsClientConfig() : { region: 'us-east-1' });
  const explorer = createAwsCostExplorer(new CostExplorerClient(config));
  const today = new Date().toISOString().slice(0, 10);

  it('talks to us-east-1 and answers the daily question by service, counting its pages', async () => {
    expect(config.region).toBe(COST_EXPLORER_REGION);
    const q = overviewQueries(today, 'unblended', {}).daily.query;
    const paid: string[] = [];
    const result = await explorer.getCostAndUsage(q, (op) => paid.push(op));
    expect(paid.length).toBeGreaterThanOrEqual(1);
    for (const p of result.periods) {
      expect(p.start).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const g of p.groups) {
        expect(g.keys).toHaveLength(1);
        expect(Number.isFinite(g.amounts.UnblendedCost)).toBe(true);
        expect(Number.isFinite(g.amounts.AmortizedCost)).toBe(true);
      }
    }
  });

  it.skipIf(!realAws)('forecasts the rest of the month and three more, with a band', async () => {
    const q = overviewQueries(today, 'unblended', {}).forecast.query;
    const f = await explorer.getCostForecast(q, () => {});
    for (const p of f.periods) expect(p.lower).toBeLessThanOrEqual(p.upper);
  });
});
