import { DB_INSTANCE_VCPUS, PRICE_TABLE, type DbInstanceClass, type PriceTable, type RegionCode, type RegionPrices } from '@/lib/costs/prices';
import type { CostModelInputs } from '@/lib/costs/schemas';

/**
 * The cost model of the source document's two architectures (docs/decisions/015-cost-model.md):
 * inputs -> line items per architecture, totals, the document's own figures reproduced, and the
 * traffic at which the two cost the same. Pure: the model page recomputes it in the browser.
 * Amounts are unrounded USD per month; only the UI rounds.
 */

export type Architecture = 'lambda' | 'fargate';

/** Whether the document counted a line ("document") or left it out ("omitted"). */
export type LineGroup = 'document' | 'omitted';

export type LineId =
  | 'lambda.requests'
  | 'lambda.duration'
  | 'lambda.eni'
  | 'rdsProxy'
  | 'fargate.tasks'
  | 'alb.hours'
  | 'alb.lcu'
  | 'db.instance'
  | 'db.storage'
  | 'nat.hours'
  | 'nat.data'
  | 'nat.ipv4'
  | 'endpoints.hours'
  | 'endpoints.data'
  | 'alb.ipv4'
  | 'secrets'
  | 'alarms'
  | 'sqs'
  | 'transfer.out';

/** A quantity of a formula: a number (shown with at most `digits` decimals), a unit price, or an AWS name. */
export type FormulaValue = { n: number; digits?: number } | { usd: number } | { text: string };

/** Which arithmetic a line did; its words are the catalog's `costs.formula.<key>` in each language. */
export type FormulaKey =
  | 'lambda.requests'
  | 'lambda.duration'
  | 'lambda.eni'
  | 'rdsProxy.aurora'
  | 'rdsProxy.instance'
  | 'fargate.tasks'
  | 'alb.hours'
  | 'alb.lcu'
  | 'db.instance.aurora'
  | 'db.instance.multiAz'
  | 'db.instance.singleAz'
  | 'db.storage.aurora'
  | 'db.storage.rds'
  | 'nat.hours'
  | 'nat.data'
  | 'nat.ipv4'
  | 'endpoints.hours'
  | 'endpoints.data'
  | 'alb.ipv4'
  | 'secrets'
  | 'alarms'
  | 'sqs'
  | 'transfer.out';

/** The arithmetic of a line as data: the UI words and formats it in the reader's language. */
export interface Formula {
  key: FormulaKey;
  values: Record<string, FormulaValue>;
}

export interface CostLine {
  id: LineId;
  group: LineGroup;
  usd: number;
  /** The arithmetic, with the quantities and unit prices used. */
  formula: Formula;
}

export interface ArchitectureCost {
  arch: Architecture;
  lines: CostLine[];
  /** The lines the document counted. */
  documentUsd: number;
  total: number;
}

export interface Traffic {
  normalHours: number;
  peakHours: number;
  monthlyRequests: number;
}

export interface CostModelResult {
  priceVersion: string;
  region: RegionCode;
  traffic: Traffic;
  tasks: { normal: number; peak: number };
  lambda: ArchitectureCost;
  fargate: ArchitectureCost;
}

/** Interface endpoints each architecture needs when it reaches AWS APIs without a NAT gateway. */
export const ENDPOINTS: Record<Architecture, { count: number; services: string }> = {
  lambda: { count: 2, services: 'secretsmanager, sqs' },
  fargate: { count: 4, services: 'ecr.api, ecr.dkr, logs, secretsmanager' },
};

/** Lambda's SQS event source starts with 5 pollers, each long-polling (20 s) while the queue is empty. */
export const SQS_POLLERS = 5;
const LONG_POLL_SECONDS = 20;
const KB_PER_GB = 1024 * 1024;

const n = (v: number, digits = 2): FormulaValue => ({ n: v, digits });
const usd = (v: number): FormulaValue => ({ usd: v });
const text = (v: string): FormulaValue => ({ text: v });
const formula = (key: FormulaKey, values: Record<string, FormulaValue> = {}): Formula => ({ key, values });

/** The month's hours at normal and at peak traffic, and its requests. */
export function monthlyTraffic(inputs: Pick<CostModelInputs, 'normalPerHour' | 'peakPerHour' | 'peakDays'>, hours = PRICE_TABLE.hoursPerMonth): Traffic {
  const peakHours = Math.min(hours, inputs.peakDays * 24);
  const normalHours = hours - peakHours;
  return { normalHours, peakHours, monthlyRequests: inputs.normalPerHour * normalHours + inputs.peakPerHour * peakHours };
}

/** ALB capacity units for an hour at `perHour` requests: the largest of its four dimensions (rules stay under the 10 free). */
export function albLcuPerHour(perHour: number, payloadKb: number): number {
  const newConnections = perHour / 3600 / 25; // 25 new connections a second
  const activeConnections = perHour / 60 / 3000; // 3,000 active a minute (each request ~1 s)
  const processedGb = (perHour * payloadKb * 2) / KB_PER_GB; // 1 GB an hour; request + response
  return Math.max(newConnections, activeConnections, processedGb);
}

function tasksFor(perHour: number, configured: number, capacity: number): number {
  return Math.max(configured, Math.ceil(perHour / capacity));
}

/** Computes both architectures' monthly cost, line by line. */
export function computeCostModel(inputs: CostModelInputs, table: PriceTable = PRICE_TABLE): CostModelResult {
  const pr: RegionPrices = table.regions[inputs.region as RegionCode];
  const H = table.hoursPerMonth;
  const free = table.freeTier;
  const traffic = monthlyTraffic(inputs, H);
  const req = traffic.monthlyRequests;

  const lambda: CostLine[] = [];
  const fargate: CostLine[] = [];

  // --- Lambda + SQS + RDS Proxy: what the document counted.
  const freeReq = inputs.freeTier ? free.lambdaRequests : 0;
  const billableReq = Math.max(0, req - freeReq);
  lambda.push({
    id: 'lambda.requests',
    group: 'document',
    usd: (billableReq / 1e6) * pr.lambdaRequestPerMillion.usd,
    formula: formula('lambda.requests', { requests: n(req, 0), free: n(freeReq, 0), billable: n(billableReq, 0), price: usd(pr.lambdaRequestPerMillion.usd) }),
  });
  const gbSeconds = req * (inputs.lambdaMemoryMb / 1024) * (inputs.lambdaDurationMs / 1000);
  const freeGbs = inputs.freeTier ? free.lambdaGbSeconds : 0;
  const billableGbs = Math.max(0, gbSeconds - freeGbs);
  lambda.push({
    id: 'lambda.duration',
    group: 'document',
    usd: billableGbs * pr.lambdaGbSecond.usd,
    formula: formula('lambda.duration', {
      requests: n(req, 0),
      memoryGb: n(inputs.lambdaMemoryMb / 1024, 3),
      seconds: n(inputs.lambdaDurationMs / 1000, 3),
      gbSeconds: n(gbSeconds, 0),
      free: n(freeGbs, 0),
      billable: n(billableGbs, 0),
      price: usd(pr.lambdaGbSecond.usd),
    }),
  });
  lambda.push({ id: 'lambda.eni', group: 'document', usd: 0, formula: formula('lambda.eni') });
  if (inputs.dbKind === 'aurora-serverless') {
    const acus = Math.max(8, inputs.auroraAcu);
    lambda.push({
      id: 'rdsProxy',
      group: 'document',
      usd: acus * H * pr.rdsProxyAcuHour.usd,
      formula: formula('rdsProxy.aurora', { acu: n(inputs.auroraAcu), billed: n(acus), hours: n(H), price: usd(pr.rdsProxyAcuHour.usd) }),
    });
  } else {
    const classVcpu = DB_INSTANCE_VCPUS[inputs.dbClass as DbInstanceClass];
    const vcpus = Math.max(2, classVcpu);
    lambda.push({
      id: 'rdsProxy',
      group: 'document',
      usd: vcpus * H * pr.rdsProxyVcpuHour.usd,
      formula: formula('rdsProxy.instance', {
        vcpu: n(classVcpu),
        dbClass: text(inputs.dbClass),
        billed: n(vcpus),
        hours: n(H),
        price: usd(pr.rdsProxyVcpuHour.usd),
      }),
    });
  }

  // --- ECS Fargate + ALB: what the document counted.
  const tasks = {
    normal: tasksFor(inputs.normalPerHour, inputs.tasksNormal, inputs.taskCapacityPerHour),
    peak: tasksFor(inputs.peakPerHour, inputs.tasksPeak, inputs.taskCapacityPerHour),
  };
  const taskHour = inputs.taskVcpu * pr.fargateVcpuHour.usd + inputs.taskMemoryGb * pr.fargateGbHour.usd;
  const taskHours = tasks.normal * traffic.normalHours + tasks.peak * traffic.peakHours;
  fargate.push({
    id: 'fargate.tasks',
    group: 'document',
    usd: taskHours * taskHour,
    formula: formula('fargate.tasks', {
      normal: n(tasks.normal),
      normalHours: n(traffic.normalHours, 0),
      peak: n(tasks.peak),
      peakHours: n(traffic.peakHours, 0),
      taskHours: n(taskHours, 0),
      vcpu: n(inputs.taskVcpu),
      vcpuPrice: usd(pr.fargateVcpuHour.usd),
      memoryGb: n(inputs.taskMemoryGb),
      gbPrice: usd(pr.fargateGbHour.usd),
    }),
  });
  fargate.push({ id: 'alb.hours', group: 'document', usd: H * pr.albHour.usd, formula: formula('alb.hours', { hours: n(H), price: usd(pr.albHour.usd) }) });
  const lcuHours =
    albLcuPerHour(inputs.normalPerHour, inputs.payloadKb) * traffic.normalHours + albLcuPerHour(inputs.peakPerHour, inputs.payloadKb) * traffic.peakHours;
  fargate.push({
    id: 'alb.lcu',
    group: 'document',
    usd: lcuHours * pr.albLcuHour.usd,
    formula: formula('alb.lcu', { lcuHours: n(lcuHours, 4), price: usd(pr.albLcuHour.usd) }),
  });

  // --- What the document left out.
  if (inputs.omitted) {
    const copies = inputs.multiAz ? 2 : 1;
    const both = (line: CostLine) => {
      lambda.push(line);
      fargate.push({ ...line });
    };
    if (inputs.dbKind === 'aurora-serverless') {
      both({
        id: 'db.instance',
        group: 'omitted',
        usd: inputs.auroraAcu * H * pr.auroraAcuHour.usd * copies,
        formula: formula('db.instance.aurora', { acu: n(inputs.auroraAcu), hours: n(H), price: usd(pr.auroraAcuHour.usd), copies: n(copies) }),
      });
      both({
        id: 'db.storage',
        group: 'omitted',
        usd: inputs.dbStorageGb * pr.auroraStorageGbMonth.usd,
        formula: formula('db.storage.aurora', { gb: n(inputs.dbStorageGb), price: usd(pr.auroraStorageGbMonth.usd) }),
      });
    } else {
      const hourly = pr.rdsInstanceHour[inputs.dbClass as DbInstanceClass].usd;
      both({
        id: 'db.instance',
        group: 'omitted',
        usd: hourly * H * copies,
        formula: formula(inputs.multiAz ? 'db.instance.multiAz' : 'db.instance.singleAz', {
          dbClass: text(inputs.dbClass),
          price: usd(hourly),
          hours: n(H),
          copies: n(copies),
        }),
      });
      both({
        id: 'db.storage',
        group: 'omitted',
        usd: inputs.dbStorageGb * pr.rdsStorageGbMonth.usd * copies,
        formula: formula('db.storage.rds', { gb: n(inputs.dbStorageGb), price: usd(pr.rdsStorageGbMonth.usd), copies: n(copies) }),
      });
    }
    // Calls to Slack and AWS APIs: one request out and its answer per request served.
    const egressGb = (req * inputs.payloadKb * 2) / KB_PER_GB;
    if (inputs.egress === 'nat') {
      both({
        id: 'nat.hours',
        group: 'omitted',
        usd: inputs.azCount * H * pr.natGatewayHour.usd,
        formula: formula('nat.hours', { count: n(inputs.azCount), hours: n(H), price: usd(pr.natGatewayHour.usd) }),
      });
      both({
        id: 'nat.data',
        group: 'omitted',
        usd: egressGb * pr.natGatewayGb.usd,
        formula: formula('nat.data', { gb: n(egressGb, 3), price: usd(pr.natGatewayGb.usd) }),
      });
      both({
        id: 'nat.ipv4',
        group: 'omitted',
        usd: inputs.azCount * H * pr.publicIpv4Hour.usd,
        formula: formula('nat.ipv4', { count: n(inputs.azCount), hours: n(H), price: usd(pr.publicIpv4Hour.usd) }),
      });
    } else {
      for (const [arch, lines] of [
        ['lambda', lambda],
        ['fargate', fargate],
      ] as const) {
        const e = ENDPOINTS[arch];
        lines.push({
          id: 'endpoints.hours',
          group: 'omitted',
          usd: e.count * inputs.azCount * H * pr.interfaceEndpointAzHour.usd,
          formula: formula('endpoints.hours', {
            count: n(e.count),
            services: text(e.services),
            azs: n(inputs.azCount),
            hours: n(H),
            price: usd(pr.interfaceEndpointAzHour.usd),
          }),
        });
        lines.push({
          id: 'endpoints.data',
          group: 'omitted',
          usd: egressGb * pr.interfaceEndpointGb.usd,
          formula: formula('endpoints.data', { gb: n(egressGb, 3), price: usd(pr.interfaceEndpointGb.usd) }),
        });
      }
    }
    fargate.push({
      id: 'alb.ipv4',
      group: 'omitted',
      usd: inputs.azCount * H * pr.publicIpv4Hour.usd,
      formula: formula('alb.ipv4', { count: n(inputs.azCount), hours: n(H), price: usd(pr.publicIpv4Hour.usd) }),
    });
    both({
      id: 'secrets',
      group: 'omitted',
      usd: inputs.secrets * pr.secretMonth.usd,
      formula: formula('secrets', { count: n(inputs.secrets), price: usd(pr.secretMonth.usd) }),
    });
    const freeAlarms = inputs.freeTier ? free.alarms : 0;
    const billableAlarms = Math.max(0, inputs.alarms - freeAlarms);
    both({
      id: 'alarms',
      group: 'omitted',
      usd: billableAlarms * pr.alarmMonth.usd,
      formula: formula('alarms', { count: n(inputs.alarms), free: n(freeAlarms), price: usd(pr.alarmMonth.usd) }),
    });
    // SQS: send + receive + delete per message, per 64 KB chunk, plus the pollers' empty long polls.
    const chunks = Math.max(1, Math.ceil(inputs.payloadKb / 64));
    const pollRequests = SQS_POLLERS * ((H * 3600) / LONG_POLL_SECONDS);
    const sqsRequests = req * 3 * chunks + pollRequests;
    const freeSqs = inputs.freeTier ? free.sqsRequests : 0;
    const billableSqs = Math.max(0, sqsRequests - freeSqs);
    lambda.push({
      id: 'sqs',
      group: 'omitted',
      usd: (billableSqs / 1e6) * pr.sqsRequestPerMillion.usd,
      formula: formula('sqs', {
        requests: n(req, 0),
        chunks: n(chunks),
        polls: n(pollRequests, 0),
        total: n(sqsRequests, 0),
        free: n(freeSqs, 0),
        billable: n(billableSqs, 0),
        price: usd(pr.sqsRequestPerMillion.usd),
      }),
    });
    const outGb = (req * inputs.payloadKb) / KB_PER_GB;
    const freeOut = inputs.freeTier ? free.dataTransferOutGb : 0;
    const billableOut = Math.max(0, outGb - freeOut);
    both({
      id: 'transfer.out',
      group: 'omitted',
      usd: billableOut * pr.dataTransferOutGb.usd,
      formula: formula('transfer.out', { gb: n(outGb, 3), free: n(freeOut), billable: n(billableOut, 3), price: usd(pr.dataTransferOutGb.usd) }),
    });
  }

  const sum = (lines: CostLine[], group?: LineGroup) => lines.filter((l) => !group || l.group === group).reduce((s, l) => s + l.usd, 0);
  const arch = (name: Architecture, lines: CostLine[]): ArchitectureCost => ({ arch: name, lines, documentUsd: sum(lines, 'document'), total: sum(lines) });
  return {
    priceVersion: table.version,
    region: inputs.region as RegionCode,
    traffic,
    tasks,
    lambda: arch('lambda', lambda),
    fargate: arch('fargate', fargate),
  };
}

// ---------------------------------------------------------------------------------------------
// The source document's figures, reproduced with its own assumptions.

export type ClaimId = 'fargate.tasks' | 'alb' | 'lambda.eni' | 'lambda.run' | 'rdsProxy';

export interface DocumentClaim {
  id: ClaimId;
  arch: Architecture;
  /** What the document says. */
  claimedUsd: number;
  /** The same item computed from the document's stated assumptions and the price table. */
  computedUsd: number;
  /** What the claimed figure implies (named values, for the explanation). */
  implied: Record<string, number>;
}

export interface DocumentReproduction {
  region: RegionCode;
  claims: DocumentClaim[];
  claimedTotals: Record<Architecture, number>;
  computedTotals: Record<Architecture, number>;
}

/** The document's numbers: ECS $21 + ALB $25 = $46; Lambda ENI $1 + run $1 + RDS Proxy $22 = $24. */
export const DOCUMENT = {
  traffic: { normalPerHour: 100, peakPerHour: 1000, peakDays: 3 },
  fargate: { vcpu: 0.25, memoryGb: 0.5, tasksNormal: 1, extraPeakTasks: 4, claimedUsd: 21 },
  albClaimedUsd: 25,
  lambda: { eniClaimedUsd: 1, runClaimedUsd: 1 },
  rdsProxy: { units: 2, claimedUsd: 22 },
  totals: { fargate: 46, lambda: 24 },
} as const;

/**
 * Reproduces each figure of the document with its own assumptions (us-east-1 prices, which its
 * $22 for two proxy vCPUs matches) and says what each claimed figure implies.
 */
export function reproduceDocument(
  table: PriceTable = PRICE_TABLE,
  region: RegionCode = 'us-east-1',
  lambdaMemoryMb = 512,
  lambdaDurationMs = 200,
): DocumentReproduction {
  const pr = table.regions[region];
  const H = table.hoursPerMonth;
  const d = DOCUMENT;
  const traffic = monthlyTraffic(d.traffic, H);
  const taskHour = d.fargate.vcpu * pr.fargateVcpuHour.usd + d.fargate.memoryGb * pr.fargateGbHour.usd;
  const extraPeak = d.fargate.extraPeakTasks * traffic.peakHours * taskHour;
  const asStated = d.fargate.tasksNormal * H * taskHour + extraPeak;
  const albFixed = H * pr.albHour.usd;
  const lcuHours = albLcuPerHour(d.traffic.normalPerHour, 4) * traffic.normalHours + albLcuPerHour(d.traffic.peakPerHour, 4) * traffic.peakHours;
  const req = traffic.monthlyRequests;
  const requestCostNoFreeTier = (req / 1e6) * pr.lambdaRequestPerMillion.usd;
  const gbsPerRequest = (d.lambda.runClaimedUsd - requestCostNoFreeTier) / pr.lambdaGbSecond.usd / req;
  const gbsAtDefaults = req * (lambdaMemoryMb / 1024) * (lambdaDurationMs / 1000);

  const claims: DocumentClaim[] = [
    {
      id: 'fargate.tasks',
      arch: 'fargate',
      claimedUsd: d.fargate.claimedUsd,
      computedUsd: asStated,
      implied: {
        taskHourUsd: taskHour,
        alwaysOnTasks: (d.fargate.claimedUsd - extraPeak) / (H * taskHour),
        twoTasksUsd: 2 * H * taskHour + extraPeak,
      },
    },
    {
      id: 'alb',
      arch: 'fargate',
      claimedUsd: d.albClaimedUsd,
      computedUsd: albFixed + lcuHours * pr.albLcuHour.usd,
      implied: { fixedUsd: albFixed, averageLcu: (d.albClaimedUsd - albFixed) / (H * pr.albLcuHour.usd), modelledLcuHours: lcuHours },
    },
    { id: 'lambda.eni', arch: 'lambda', claimedUsd: d.lambda.eniClaimedUsd, computedUsd: 0, implied: { natGatewayUsd: H * pr.natGatewayHour.usd } },
    {
      id: 'lambda.run',
      arch: 'lambda',
      claimedUsd: d.lambda.runClaimedUsd,
      computedUsd: 0,
      implied: {
        monthlyRequests: req,
        gbSecondsPerRequest: gbsPerRequest,
        withoutFreeTierUsd: requestCostNoFreeTier + gbsAtDefaults * pr.lambdaGbSecond.usd,
      },
    },
    {
      id: 'rdsProxy',
      arch: 'lambda',
      claimedUsd: d.rdsProxy.claimedUsd,
      computedUsd: d.rdsProxy.units * H * pr.rdsProxyVcpuHour.usd,
      implied: { vcpus: d.rdsProxy.claimedUsd / (H * pr.rdsProxyVcpuHour.usd), auroraMinimumUsd: 8 * H * pr.rdsProxyAcuHour.usd },
    },
  ];
  const total = (arch: Architecture) => claims.filter((c) => c.arch === arch).reduce((s, c) => s + c.computedUsd, 0);
  return { region, claims, claimedTotals: { ...d.totals }, computedTotals: { lambda: total('lambda'), fargate: total('fargate') } };
}

// ---------------------------------------------------------------------------------------------
// Cost against traffic, and the break-even point.

export interface CurvePoint {
  normalPerHour: number;
  monthlyRequests: number;
  lambda: number;
  fargate: number;
}

export interface BreakEven {
  normalPerHour: number;
  monthlyRequests: number;
  usd: number;
}

/** Both totals at a normal rate of `perHour`, the peak keeping the inputs' peak-to-normal ratio. */
function pointAt(inputs: CostModelInputs, perHour: number, table: PriceTable): CurvePoint {
  const ratio = inputs.normalPerHour > 0 ? inputs.peakPerHour / inputs.normalPerHour : 10;
  const scaled = { ...inputs, normalPerHour: perHour, peakPerHour: perHour * ratio };
  const r = computeCostModel(scaled, table);
  return { normalPerHour: perHour, monthlyRequests: r.traffic.monthlyRequests, lambda: r.lambda.total, fargate: r.fargate.total };
}

export const CURVE_RANGE = { from: 10, to: 1_000_000 } as const;

/** Monthly totals of both architectures over a logarithmic range of normal traffic (requests per hour). */
export function costCurve(inputs: CostModelInputs, table: PriceTable = PRICE_TABLE, points = 41): CurvePoint[] {
  const lo = Math.log10(CURVE_RANGE.from);
  const hi = Math.log10(CURVE_RANGE.to);
  return Array.from({ length: points }, (_, i) => pointAt(inputs, 10 ** (lo + ((hi - lo) * i) / (points - 1)), table));
}

/**
 * The first normal traffic (requests per hour) in the curve's range at which the cheaper
 * architecture changes, refined by bisection; null when one is cheaper over the whole range.
 */
export function findBreakEven(inputs: CostModelInputs, table: PriceTable = PRICE_TABLE, curve: CurvePoint[] = costCurve(inputs, table)): BreakEven | null {
  const diff = (p: CurvePoint) => p.lambda - p.fargate;
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1]!;
    const b = curve[i]!;
    if (Math.sign(diff(a)) === Math.sign(diff(b)) || diff(a) === 0) continue;
    let lo = Math.log10(a.normalPerHour);
    let hi = Math.log10(b.normalPerHour);
    const startSign = Math.sign(diff(a));
    for (let k = 0; k < 40; k++) {
      const mid = (lo + hi) / 2;
      if (Math.sign(diff(pointAt(inputs, 10 ** mid, table))) === startSign) lo = mid;
      else hi = mid;
    }
    const p = pointAt(inputs, 10 ** hi, table);
    return { normalPerHour: p.normalPerHour, monthlyRequests: p.monthlyRequests, usd: (p.lambda + p.fargate) / 2 };
  }
  return null;
}
