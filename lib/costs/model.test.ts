import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeCostModel, costCurve, findBreakEven, reproduceDocument, type ArchitectureCost, type LineId } from '@/lib/costs/model';
import { PRICE_TABLE, REGIONS } from '@/lib/costs/prices';
import { costModelInputsSchema, DEFAULT_MODEL_INPUTS, modelInputsToParams, type CostModelInputs } from '@/lib/costs/schemas';

// Expected values below are worked out by hand from the unit prices the issue names (us-east-1):
// Lambda $0.20 / 1M requests and $0.0000166667 / GB-s after 1M / 400,000 GB-s free; Fargate
// $0.04048 / vCPU-h and $0.004445 / GB-h; ALB $0.0225 / h + $0.008 / LCU-h; RDS Proxy $0.015 /
// vCPU-h, minimum 2; NAT $0.045 / h + $0.045 / GB; interface endpoint $0.01 / h per AZ; Secrets
// Manager $0.40 / secret-month; a month is 730 hours.

const line = (arch: ArchitectureCost, id: LineId) => {
  const found = arch.lines.find((l) => l.id === id);
  if (!found) throw new Error(`no line ${id} in ${arch.arch}`);
  return found.usd;
};
const inputs = (over: Partial<CostModelInputs> = {}): CostModelInputs => ({ ...DEFAULT_MODEL_INPUTS, ...over });

describe('price table', () => {
  it('holds the unit prices of the issue for us-east-1, each with a source and a date', () => {
    const us = PRICE_TABLE.regions['us-east-1'];
    expect(us.lambdaRequestPerMillion.usd).toBe(0.2);
    expect(us.lambdaGbSecond.usd).toBe(0.0000166667);
    expect(us.fargateVcpuHour.usd).toBe(0.04048);
    expect(us.fargateGbHour.usd).toBe(0.004445);
    expect(us.albHour.usd).toBe(0.0225);
    expect(us.albLcuHour.usd).toBe(0.008);
    expect(us.rdsProxyVcpuHour.usd).toBe(0.015);
    expect(us.natGatewayHour.usd).toBe(0.045);
    expect(us.natGatewayGb.usd).toBe(0.045);
    expect(us.interfaceEndpointAzHour.usd).toBe(0.01);
    expect(us.secretMonth.usd).toBe(0.4);
    expect(PRICE_TABLE.freeTier).toMatchObject({ lambdaRequests: 1_000_000, lambdaGbSeconds: 400_000 });
    for (const region of REGIONS) {
      const entries = Object.entries(PRICE_TABLE.regions[region]).flatMap(([key, v]) => ('usd' in v ? [[key, v]] : Object.entries(v)));
      for (const [key, entry] of entries) {
        expect(entry.source, `${region} ${key}`).toMatch(/^https:\/\/aws\.amazon\.com\//);
        expect(entry.date, `${region} ${key}`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(entry.usd, `${region} ${key}`).toBeGreaterThan(0);
      }
    }
  });
});

describe('computeCostModel: the document scenario (defaults)', () => {
  const r = computeCostModel(DEFAULT_MODEL_INPUTS);

  it('counts 137,800 requests: 100/h for 658 h and 1,000/h for 72 h', () => {
    expect(r.traffic).toEqual({ normalHours: 658, peakHours: 72, monthlyRequests: 100 * 658 + 1000 * 72 });
    expect(r.traffic.monthlyRequests).toBe(137_800);
  });

  it('keeps Lambda inside the free tier: requests and GB-seconds cost nothing', () => {
    // 137,800 × 0.5 GB × 0.2 s = 13,780 GB-s < 400,000
    expect(line(r.lambda, 'lambda.requests')).toBe(0);
    expect(line(r.lambda, 'lambda.duration')).toBe(0);
    expect(line(r.lambda, 'lambda.eni')).toBe(0);
  });

  it('charges RDS Proxy for its 2-vCPU minimum: 2 × 730 × $0.015 = $21.90', () => {
    expect(line(r.lambda, 'rdsProxy')).toBeCloseTo(2 * 730 * 0.015, 10);
    expect(line(r.lambda, 'rdsProxy')).toBeCloseTo(21.9, 10);
  });

  it('charges Fargate for 1 task all month and 5 during the 72 peak hours', () => {
    const taskHour = 0.25 * 0.04048 + 0.5 * 0.004445; // $0.0123425
    expect(line(r.fargate, 'fargate.tasks')).toBeCloseTo((1 * 658 + 5 * 72) * taskHour, 10);
    expect(line(r.fargate, 'fargate.tasks')).toBeCloseTo(12.564665, 6);
  });

  it('charges the ALB its hours and the capacity units the traffic uses', () => {
    expect(line(r.fargate, 'alb.hours')).toBeCloseTo(730 * 0.0225, 10); // $16.425
    // New connections dominate: 100/3600/25 LCU at normal, 1000/3600/25 at peak.
    const lcuHours = (100 / 3600 / 25) * 658 + (1000 / 3600 / 25) * 72;
    expect(line(r.fargate, 'alb.lcu')).toBeCloseTo(lcuHours * 0.008, 12);
  });

  it('adds what the document left out, to both architectures where both need it', () => {
    // db.t4g.micro Multi-AZ: $0.016 × 730 × 2; 20 GB gp3 × $0.115 × 2.
    for (const arch of [r.lambda, r.fargate]) {
      expect(line(arch, 'db.instance')).toBeCloseTo(0.016 * 730 * 2, 10);
      expect(line(arch, 'db.storage')).toBeCloseTo(20 * 0.115 * 2, 10);
      expect(line(arch, 'nat.hours')).toBeCloseTo(2 * 730 * 0.045, 10); // $65.70
      const gb = (137_800 * 4 * 2) / (1024 * 1024);
      expect(line(arch, 'nat.data')).toBeCloseTo(gb * 0.045, 12);
      expect(line(arch, 'nat.ipv4')).toBeCloseTo(2 * 730 * 0.005, 10);
      expect(line(arch, 'secrets')).toBeCloseTo(2 * 0.4, 10);
      expect(line(arch, 'alarms')).toBeCloseTo((12 - 10) * 0.1, 10);
      expect(line(arch, 'transfer.out')).toBe(0); // 0.53 GB < 100 GB free
    }
    // SQS: 137,800 × 3 + 5 pollers × 131,400 empty long polls = 1,070,400; 70,400 billed.
    expect(line(r.lambda, 'sqs')).toBeCloseTo((70_400 / 1e6) * 0.4, 12);
    expect(r.fargate.lines.some((l) => l.id === 'sqs')).toBe(false);
    expect(line(r.fargate, 'alb.ipv4')).toBeCloseTo(2 * 730 * 0.005, 10);
  });

  it('totals the lines, and the document part separately', () => {
    for (const arch of [r.lambda, r.fargate]) {
      expect(arch.total).toBeCloseTo(
        arch.lines.reduce((s, l) => s + l.usd, 0),
        10,
      );
      expect(arch.documentUsd).toBeCloseTo(
        arch.lines.filter((l) => l.group === 'document').reduce((s, l) => s + l.usd, 0),
        10,
      );
    }
    expect(r.lambda.documentUsd).toBeCloseTo(21.9, 10);
    expect(r.fargate.documentUsd).toBeCloseTo(12.564665 + 16.425 + ((100 / 3600 / 25) * 658 + (1000 / 3600 / 25) * 72) * 0.008, 6);
  });
});

describe('computeCostModel: inputs change the lines', () => {
  it('bills Lambda beyond the free tier by hand: 10,000 req/h for 730 h, 1 GB × 1 s', () => {
    const r = computeCostModel(inputs({ normalPerHour: 10_000, peakPerHour: 10_000, peakDays: 0, lambdaMemoryMb: 1024, lambdaDurationMs: 1000 }));
    const req = 10_000 * 730; // 7,300,000
    expect(line(r.lambda, 'lambda.requests')).toBeCloseTo(((req - 1_000_000) / 1e6) * 0.2, 10); // $1.26
    expect(line(r.lambda, 'lambda.duration')).toBeCloseTo((req * 1 * 1 - 400_000) * 0.0000166667, 8); // $115.00
  });

  it('drops the free tier when told to', () => {
    const r = computeCostModel(inputs({ freeTier: false }));
    expect(line(r.lambda, 'lambda.requests')).toBeCloseTo((137_800 / 1e6) * 0.2, 12);
    expect(line(r.lambda, 'lambda.duration')).toBeCloseTo(137_800 * 0.5 * 0.2 * 0.0000166667, 12);
    expect(line(r.lambda, 'alarms')).toBeCloseTo(12 * 0.1, 10);
  });

  it('bills RDS Proxy on Aurora Serverless v2 for at least 8 ACUs', () => {
    const two = computeCostModel(inputs({ dbKind: 'aurora-serverless', auroraAcu: 2 }));
    expect(line(two.lambda, 'rdsProxy')).toBeCloseTo(8 * 730 * 0.015, 10); // $87.60, not 2 ACU
    const twelve = computeCostModel(inputs({ dbKind: 'aurora-serverless', auroraAcu: 12 }));
    expect(line(twelve.lambda, 'rdsProxy')).toBeCloseTo(12 * 730 * 0.015, 10);
    // The database itself: 2 ACU × 730 × $0.12 × 2 (a reader in a second AZ).
    expect(line(two.lambda, 'db.instance')).toBeCloseTo(2 * 730 * 0.12 * 2, 10);
  });

  it('bills the proxy per vCPU above the minimum for a 4-vCPU instance', () => {
    const r = computeCostModel(inputs({ dbClass: 'db.m6g.xlarge' }));
    expect(line(r.lambda, 'rdsProxy')).toBeCloseTo(4 * 730 * 0.015, 10);
  });

  it('halves the database without Multi-AZ', () => {
    const r = computeCostModel(inputs({ multiAz: false }));
    expect(line(r.lambda, 'db.instance')).toBeCloseTo(0.016 * 730, 10);
    expect(line(r.lambda, 'db.storage')).toBeCloseTo(20 * 0.115, 10);
  });

  it('uses interface endpoints per AZ instead of NAT gateways when chosen', () => {
    const r = computeCostModel(inputs({ egress: 'endpoints', azCount: 3 }));
    expect(line(r.lambda, 'endpoints.hours')).toBeCloseTo(2 * 3 * 730 * 0.01, 10); // $43.80
    expect(line(r.fargate, 'endpoints.hours')).toBeCloseTo(4 * 3 * 730 * 0.01, 10); // $87.60
    expect(r.lambda.lines.some((l) => l.id.startsWith('nat.'))).toBe(false);
  });

  it('leaves out the omitted lines when switched off', () => {
    const r = computeCostModel(inputs({ omitted: false }));
    expect(r.lambda.lines.every((l) => l.group === 'document')).toBe(true);
    expect(r.fargate.lines.every((l) => l.group === 'document')).toBe(true);
    expect(r.lambda.total).toBeCloseTo(21.9, 10);
  });

  it('adds tasks when traffic exceeds what the configured tasks serve', () => {
    const r = computeCostModel(inputs({ normalPerHour: 100_000, peakPerHour: 1_000_000 }));
    expect(r.tasks).toEqual({ normal: Math.ceil(100_000 / 36_000), peak: Math.ceil(1_000_000 / 36_000) });
  });

  it('uses the region’s prices', () => {
    const r = computeCostModel(inputs({ region: 'ap-northeast-2' }));
    const kr = PRICE_TABLE.regions['ap-northeast-2'];
    expect(line(r.lambda, 'rdsProxy')).toBeCloseTo(2 * 730 * kr.rdsProxyVcpuHour.usd, 10);
    expect(line(r.lambda, 'nat.hours')).toBeCloseTo(2 * 730 * kr.natGatewayHour.usd, 10);
  });
});

describe('reproduceDocument', () => {
  const d = reproduceDocument();
  const claim = (id: string) => d.claims.find((c) => c.id === id)!;

  it('keeps the document’s totals: $46 and $24', () => {
    expect(d.claimedTotals).toEqual({ fargate: 46, lambda: 24 });
  });

  it('shows that $21 of Fargate implies about two always-on tasks, not one', () => {
    const taskHour = 0.25 * 0.04048 + 0.5 * 0.004445;
    const extra = 4 * 72 * taskHour; // $3.55
    expect(claim('fargate.tasks').computedUsd).toBeCloseTo(730 * taskHour + extra, 10); // $12.56 as written
    expect(claim('fargate.tasks').implied.alwaysOnTasks).toBeCloseTo((21 - extra) / (730 * taskHour), 10);
    expect(Math.round(claim('fargate.tasks').implied.alwaysOnTasks!)).toBe(2);
  });

  it('shows that $25 of ALB implies about 1.5 LCU all month', () => {
    expect(claim('alb').implied.averageLcu).toBeCloseTo((25 - 730 * 0.0225) / (730 * 0.008), 10); // 1.468
  });

  it('reproduces $22 of RDS Proxy as the 2-vCPU minimum, and prices "2 ACU" at the 8-ACU minimum', () => {
    expect(claim('rdsProxy').computedUsd).toBeCloseTo(21.9, 10);
    expect(claim('rdsProxy').implied.auroraMinimumUsd).toBeCloseTo(87.6, 10);
  });

  it('finds no charge for Lambda ENIs and none for the run inside the free tier', () => {
    expect(claim('lambda.eni').computedUsd).toBe(0);
    expect(claim('lambda.run').computedUsd).toBe(0);
    // $1 without the free tier needs (1 − 137,800 × $0.2/1M) / $0.0000166667 GB-s over 137,800 requests.
    expect(claim('lambda.run').implied.gbSecondsPerRequest).toBeCloseTo((1 - 0.02756) / 0.0000166667 / 137_800, 8);
  });
});

describe('costCurve and findBreakEven', () => {
  it('finds where the two totals meet, and the cheaper side flips there', () => {
    const be = findBreakEven(DEFAULT_MODEL_INPUTS);
    expect(be).not.toBeNull();
    const below = computeCostModel(inputs({ normalPerHour: be!.normalPerHour * 0.9, peakPerHour: be!.normalPerHour * 9 }));
    const above = computeCostModel(inputs({ normalPerHour: be!.normalPerHour * 1.1, peakPerHour: be!.normalPerHour * 11 }));
    expect(below.lambda.total).toBeLessThan(below.fargate.total);
    expect(above.lambda.total).toBeGreaterThan(above.fargate.total);
  });

  it('returns null when one architecture is cheaper over the whole range', () => {
    // Long Lambda runs at 10 GB make Lambda dearer from the first point on.
    const be = findBreakEven(inputs({ lambdaMemoryMb: 10_240, lambdaDurationMs: 60_000, freeTier: false }));
    const curve = costCurve(inputs({ lambdaMemoryMb: 10_240, lambdaDurationMs: 60_000, freeTier: false }));
    expect(curve.every((p) => p.lambda > p.fargate)).toBe(true);
    expect(be).toBeNull();
  });

  it('spans 10 to 1,000,000 requests an hour', () => {
    const curve = costCurve(DEFAULT_MODEL_INPUTS);
    expect(curve[0]!.normalPerHour).toBeCloseTo(10, 8);
    expect(curve.at(-1)!.normalPerHour).toBeCloseTo(1_000_000, 2);
  });
});

describe('costModelInputsSchema', () => {
  it('reads URL values, refuses bad ones with a message, and writes back only what differs', () => {
    const parsed = costModelInputsSchema.parse({ normalPerHour: '250', omitted: '0', region: 'ap-northeast-2' });
    expect(parsed).toMatchObject({ normalPerHour: 250, omitted: false, region: 'ap-northeast-2', peakPerHour: 1000 });
    expect(modelInputsToParams(parsed).toString()).toBe('region=ap-northeast-2&normalPerHour=250&omitted=0');
    const bad = costModelInputsSchema.safeParse({ taskVcpu: '0.3', peakDays: '40', region: 'mars-1' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path[0]).sort()).toEqual(['peakDays', 'region', 'taskVcpu']);
  });
});

describe('computeCostModel properties (fast-check)', () => {
  const inputsArb = fc
    .record({
      region: fc.constantFrom(...REGIONS),
      normalPerHour: fc.integer({ min: 0, max: 2_000_000 }),
      peakPerHour: fc.integer({ min: 0, max: 5_000_000 }),
      peakDays: fc.integer({ min: 0, max: 30 }),
      lambdaMemoryMb: fc.integer({ min: 128, max: 10_240 }),
      lambdaDurationMs: fc.integer({ min: 1, max: 900_000 }),
      payloadKb: fc.integer({ min: 0, max: 256 }),
      taskVcpu: fc.constantFrom(0.25, 0.5, 1, 2, 4),
      taskMemoryGb: fc.constantFrom(0.5, 1, 2, 8, 30),
      tasksNormal: fc.integer({ min: 1, max: 50 }),
      tasksPeak: fc.integer({ min: 1, max: 200 }),
      taskCapacityPerHour: fc.integer({ min: 1, max: 1_000_000 }),
      dbKind: fc.constantFrom('provisioned' as const, 'aurora-serverless' as const),
      dbClass: fc.constantFrom('db.t4g.micro' as const, 'db.t4g.small' as const, 'db.t4g.medium' as const, 'db.m6g.large' as const, 'db.m6g.xlarge' as const),
      auroraAcu: fc.integer({ min: 1, max: 256 }).map((n) => n / 2),
      dbStorageGb: fc.integer({ min: 20, max: 65_536 }),
      azCount: fc.integer({ min: 1, max: 6 }),
      freeTier: fc.boolean(),
      omitted: fc.boolean(),
      multiAz: fc.boolean(),
      egress: fc.constantFrom('nat' as const, 'endpoints' as const),
      secrets: fc.integer({ min: 0, max: 1000 }),
      alarms: fc.integer({ min: 0, max: 5000 }),
    })
    .map((i) => costModelInputsSchema.parse(i));

  it('gives finite, non-negative lines that add up to the totals', () => {
    fc.assert(
      fc.property(inputsArb, (i) => {
        const r = computeCostModel(i);
        for (const arch of [r.lambda, r.fargate]) {
          for (const l of arch.lines) expect(Number.isFinite(l.usd) && l.usd >= 0, `${arch.arch} ${l.id}`).toBe(true);
          expect(arch.total).toBeCloseTo(
            arch.lines.reduce((s, l) => s + l.usd, 0),
            6,
          );
          expect(arch.documentUsd).toBeLessThanOrEqual(arch.total + 1e-9);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never gets cheaper with more traffic, nor with what the document left out added', () => {
    fc.assert(
      fc.property(inputsArb, fc.double({ min: 1, max: 50, noNaN: true }), (i, factor) => {
        const base = computeCostModel(i);
        const more = computeCostModel({ ...i, normalPerHour: i.normalPerHour * factor, peakPerHour: i.peakPerHour * factor });
        expect(more.lambda.total).toBeGreaterThanOrEqual(base.lambda.total - 1e-9);
        expect(more.fargate.total).toBeGreaterThanOrEqual(base.fargate.total - 1e-9);
        const without = computeCostModel({ ...i, omitted: false });
        const withOmitted = computeCostModel({ ...i, omitted: true });
        expect(withOmitted.lambda.total).toBeGreaterThanOrEqual(without.lambda.total);
        expect(withOmitted.fargate.total).toBeGreaterThanOrEqual(without.fargate.total);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips any inputs through the URL', () => {
    fc.assert(
      fc.property(inputsArb, (i) => {
        expect(costModelInputsSchema.parse(Object.fromEntries(modelInputsToParams(i)))).toEqual(i);
      }),
      { numRuns: 300 },
    );
  });
});
