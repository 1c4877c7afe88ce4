/** Ports of the billed-cost feature: Cost Explorer (AWS or the sandbox) and the cache's storage. */

export type CostMetric = 'UnblendedCost' | 'AmortizedCost';

/** LINKED_ACCOUNT: the member account a cost belongs to (asked in the management account, docs/decisions/039). */
export type CostGroupBy = { type: 'DIMENSION'; key: 'SERVICE' | 'LINKED_ACCOUNT' } | { type: 'TAG'; key: 'env' | 'team' };

/** An optional filter on the cost-allocation tags (the overview's env / team filters) and on linked accounts. */
export interface CostTagFilter {
  env?: string;
  team?: string;
  /** Only these member accounts' costs (the LINKED_ACCOUNT dimension): the configured accounts, or one environment's. */
  linkedAccounts?: string[];
}

/** One GetCostAndUsage question. Dates are UTC days, `end` exclusive, as Cost Explorer takes them. */
export interface CostAndUsageQuery {
  start: string;
  end: string;
  granularity: 'DAILY' | 'MONTHLY';
  metrics: CostMetric[];
  groupBy: CostGroupBy[];
  filter?: CostTagFilter;
}

export interface CostGroup {
  /** One key per groupBy entry: a service name, or a tag value ('' when the cost carries no such tag). */
  keys: string[];
  amounts: Partial<Record<CostMetric, number>>;
}

export interface CostPeriod {
  start: string;
  end: string;
  /** Cost Explorer marks periods whose numbers may still change. */
  estimated: boolean;
  groups: CostGroup[];
}

export interface CostAndUsage {
  periods: CostPeriod[];
}

export interface CostForecastQuery {
  start: string;
  end: string;
  granularity: 'MONTHLY';
  metric: CostMetric;
  /** Confidence of the band (Cost Explorer takes 51–99). */
  predictionIntervalLevel: number;
  filter?: CostTagFilter;
}

export interface ForecastPeriod {
  start: string;
  end: string;
  mean: number;
  lower: number;
  upper: number;
}

export interface CostForecast {
  total: { mean: number; lower: number; upper: number };
  periods: ForecastPeriod[];
}

/** Each paid request an adapter makes (every page counts: Cost Explorer charges per request). */
export type PaidRequestHook = (operation: 'GetCostAndUsage' | 'GetCostForecast') => void;

/** Cost Explorer: the AWS adapter pages through NextPageToken; the sandbox answers from its generator. */
export interface CostExplorerPort {
  readonly mode: 'sandbox' | 'aws';
  getCostAndUsage(query: CostAndUsageQuery, onRequest: PaidRequestHook): Promise<CostAndUsage>;
  getCostForecast(query: CostForecastQuery, onRequest: PaidRequestHook): Promise<CostForecast>;
}

export interface CachedRow<T> {
  day: string;
  payload: T;
  fetchedAt: Date;
}

/**
 * The last failed fetch of a query while no answer has been stored since: the next attempt waits
 * until `retryAt` (docs/decisions/027-forecast-backoff-and-ambiguous-execute.md).
 */
export interface QueryFailure {
  failedAt: Date;
  retryAt: Date;
  /** Consecutive failures (the backoff doubles with each). */
  failures: number;
  /** The error's AppError code (UNAVAILABLE, RATE_LIMITED, FORBIDDEN, …). */
  code: string;
}

export interface PaidRequest {
  at: Date;
  operation: 'GetCostAndUsage' | 'GetCostForecast';
  queryKey: string;
  mode: 'sandbox' | 'aws';
}

/**
 * Storage of cached answers (one row per query and UTC day), the single-flight lease across
 * replicas, and the ledger of paid requests (docs/decisions/014-cost-explorer-cache.md).
 */
export interface CostCacheStore {
  /** The newest stored answer of a query (any day). */
  latest<T>(queryKey: string): Promise<CachedRow<T> | null>;
  /** Takes the query's lease until `until` unless another holder's lease is still running; true when taken. */
  acquireLease(queryKey: string, holder: string, now: Date, until: Date): Promise<boolean>;
  releaseLease(queryKey: string, holder: string): Promise<void>;
  /** The query's last failure, if its fetch failed and no answer was stored since. */
  failure(queryKey: string): Promise<QueryFailure | null>;
  /** Records a failed fetch (replacing the previous failure of the query). */
  recordFailure(queryKey: string, failure: QueryFailure): Promise<void>;
  /** Stores an answer and the paid requests that produced it, together; clears the query's failure. */
  save<T>(queryKey: string, day: string, payload: T, fetchedAt: Date, requests: PaidRequest[]): Promise<void>;
  /** Records paid requests of a fetch that failed half-way (its pages were still billed). */
  recordRequests(requests: PaidRequest[]): Promise<void>;
  /** Paid requests since `since`. */
  countRequests(since: Date): Promise<number>;
}
