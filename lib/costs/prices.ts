/**
 * On-demand list prices the cost model uses, per region, each with where it comes from and when it
 * was read. One versioned table: a price change is a new `version`, and the model page names the
 * version it computed with (docs/decisions/015-cost-model.md).
 *
 * `checked` says how the figure was confirmed when this table was written: against a stored copy of
 * AWS's pricing page or AWS documentation, or against independent pricing write-ups that quote the
 * AWS page. Figures marked `price list` were taken from AWS's regional price list and could not be
 * re-checked against a stored copy here: check them on the source page before relying on them.
 */

export type RegionCode = 'us-east-1' | 'ap-northeast-2';
export const REGIONS: readonly RegionCode[] = ['us-east-1', 'ap-northeast-2'];

export interface PriceEntry {
  usd: number;
  unit: string;
  source: string;
  /** When the source was read (ISO date). */
  date: string;
  checked: 'aws page' | 'aws docs' | 'pricing write-ups' | 'price list';
}

export type DbInstanceClass = 'db.t4g.micro' | 'db.t4g.small' | 'db.t4g.medium' | 'db.m6g.large' | 'db.m6g.xlarge';
export const DB_INSTANCE_CLASSES: readonly DbInstanceClass[] = ['db.t4g.micro', 'db.t4g.small', 'db.t4g.medium', 'db.m6g.large', 'db.m6g.xlarge'];
/** vCPUs of each class: RDS Proxy bills per vCPU of the database behind it (minimum 2). */
export const DB_INSTANCE_VCPUS: Record<DbInstanceClass, number> = {
  'db.t4g.micro': 2,
  'db.t4g.small': 2,
  'db.t4g.medium': 2,
  'db.m6g.large': 2,
  'db.m6g.xlarge': 4,
};

export interface RegionPrices {
  lambdaRequestPerMillion: PriceEntry;
  lambdaGbSecond: PriceEntry;
  fargateVcpuHour: PriceEntry;
  fargateGbHour: PriceEntry;
  albHour: PriceEntry;
  albLcuHour: PriceEntry;
  rdsProxyVcpuHour: PriceEntry;
  /** Aurora Serverless v2 behind RDS Proxy is billed per ACU-hour at the same rate, minimum 8 ACUs. */
  rdsProxyAcuHour: PriceEntry;
  natGatewayHour: PriceEntry;
  natGatewayGb: PriceEntry;
  interfaceEndpointAzHour: PriceEntry;
  interfaceEndpointGb: PriceEntry;
  publicIpv4Hour: PriceEntry;
  secretMonth: PriceEntry;
  alarmMonth: PriceEntry;
  sqsRequestPerMillion: PriceEntry;
  dataTransferOutGb: PriceEntry;
  rdsStorageGbMonth: PriceEntry;
  auroraAcuHour: PriceEntry;
  auroraStorageGbMonth: PriceEntry;
  /** PostgreSQL, Single-AZ, on demand; Multi-AZ is twice the instance (and its storage). */
  rdsInstanceHour: Record<DbInstanceClass, PriceEntry>;
}

/** Monthly free tiers ("always free", not the 12-month new-account tier); they apply per account, not per stack. */
export interface FreeTier {
  lambdaRequests: number;
  lambdaGbSeconds: number;
  sqsRequests: number;
  alarms: number;
  dataTransferOutGb: number;
  source: string;
  date: string;
}

export interface PriceTable {
  version: string;
  retrievedOn: string;
  /** AWS bills monthly-rated resources on 730 hours. */
  hoursPerMonth: number;
  freeTier: FreeTier;
  regions: Record<RegionCode, RegionPrices>;
}

const READ = '2026-11-29';
const LAMBDA = 'https://aws.amazon.com/lambda/pricing/';
const FARGATE = 'https://aws.amazon.com/fargate/pricing/';
const ELB = 'https://aws.amazon.com/elasticloadbalancing/pricing/';
const RDS_PROXY = 'https://aws.amazon.com/rds/proxy/pricing/';
const VPC = 'https://aws.amazon.com/vpc/pricing/';
const PRIVATELINK = 'https://aws.amazon.com/privatelink/pricing/';
const SECRETS = 'https://aws.amazon.com/secrets-manager/pricing/';
const CLOUDWATCH = 'https://aws.amazon.com/cloudwatch/pricing/';
const SQS = 'https://aws.amazon.com/sqs/pricing/';
const EC2 = 'https://aws.amazon.com/ec2/pricing/on-demand/';
const RDS_PG = 'https://aws.amazon.com/rds/postgresql/pricing/';
const AURORA = 'https://aws.amazon.com/rds/aurora/pricing/';

function p(usd: number, unit: string, source: string, checked: PriceEntry['checked']): PriceEntry {
  return { usd, unit, source, date: READ, checked };
}

export const PRICE_TABLE: PriceTable = {
  version: '2026-11-29.1',
  retrievedOn: READ,
  hoursPerMonth: 730,
  freeTier: {
    lambdaRequests: 1_000_000,
    lambdaGbSeconds: 400_000,
    sqsRequests: 1_000_000,
    alarms: 10,
    dataTransferOutGb: 100,
    source: 'https://aws.amazon.com/free/ (always-free tier; Lambda and SQS pricing pages)',
    date: READ,
  },
  regions: {
    'us-east-1': {
      lambdaRequestPerMillion: p(0.2, 'per 1M requests', LAMBDA, 'aws page'),
      lambdaGbSecond: p(0.0000166667, 'per GB-second (x86)', LAMBDA, 'aws page'),
      fargateVcpuHour: p(0.04048, 'per vCPU-hour (Linux/x86)', FARGATE, 'pricing write-ups'),
      fargateGbHour: p(0.004445, 'per GB-hour (Linux/x86)', FARGATE, 'pricing write-ups'),
      albHour: p(0.0225, 'per ALB-hour', ELB, 'pricing write-ups'),
      albLcuHour: p(0.008, 'per LCU-hour', ELB, 'pricing write-ups'),
      rdsProxyVcpuHour: p(0.015, 'per vCPU-hour, minimum 2 vCPUs', RDS_PROXY, 'pricing write-ups'),
      rdsProxyAcuHour: p(0.015, 'per ACU-hour, minimum 8 ACUs (Aurora Serverless v2)', RDS_PROXY, 'pricing write-ups'),
      natGatewayHour: p(0.045, 'per NAT gateway-hour', VPC, 'pricing write-ups'),
      natGatewayGb: p(0.045, 'per GB processed', VPC, 'pricing write-ups'),
      interfaceEndpointAzHour: p(0.01, 'per endpoint per AZ-hour', PRIVATELINK, 'aws page'),
      interfaceEndpointGb: p(0.01, 'per GB processed (first PB)', PRIVATELINK, 'aws page'),
      publicIpv4Hour: p(0.005, 'per public IPv4 address-hour (since 2024-02-01)', VPC, 'aws docs'),
      secretMonth: p(0.4, 'per secret-month', SECRETS, 'pricing write-ups'),
      alarmMonth: p(0.1, 'per standard-resolution alarm metric-month', CLOUDWATCH, 'pricing write-ups'),
      sqsRequestPerMillion: p(0.4, 'per 1M requests (standard queue, 64 KB chunks)', SQS, 'pricing write-ups'),
      dataTransferOutGb: p(0.09, 'per GB out to the internet (first 10 TB)', EC2, 'pricing write-ups'),
      rdsStorageGbMonth: p(0.115, 'per GB-month gp3, Single-AZ', RDS_PG, 'pricing write-ups'),
      auroraAcuHour: p(0.12, 'per ACU-hour (Aurora Serverless v2, Standard)', AURORA, 'pricing write-ups'),
      auroraStorageGbMonth: p(0.1, 'per GB-month (Aurora Standard)', AURORA, 'pricing write-ups'),
      rdsInstanceHour: {
        'db.t4g.micro': p(0.016, 'per instance-hour, PostgreSQL Single-AZ', RDS_PG, 'pricing write-ups'),
        'db.t4g.small': p(0.032, 'per instance-hour, PostgreSQL Single-AZ', RDS_PG, 'pricing write-ups'),
        'db.t4g.medium': p(0.065, 'per instance-hour, PostgreSQL Single-AZ', RDS_PG, 'pricing write-ups'),
        'db.m6g.large': p(0.152, 'per instance-hour, PostgreSQL Single-AZ', RDS_PG, 'price list'),
        'db.m6g.xlarge': p(0.304, 'per instance-hour, PostgreSQL Single-AZ', RDS_PG, 'price list'),
      },
    },
    'ap-northeast-2': {
      lambdaRequestPerMillion: p(0.2, 'per 1M requests', LAMBDA, 'price list'),
      lambdaGbSecond: p(0.0000166667, 'per GB-second (x86)', LAMBDA, 'price list'),
      fargateVcpuHour: p(0.04656, 'per vCPU-hour (Linux/x86)', FARGATE, 'price list'),
      fargateGbHour: p(0.00511, 'per GB-hour (Linux/x86)', FARGATE, 'price list'),
      albHour: p(0.0225, 'per ALB-hour', ELB, 'price list'),
      albLcuHour: p(0.008, 'per LCU-hour', ELB, 'price list'),
      rdsProxyVcpuHour: p(0.018, 'per vCPU-hour, minimum 2 vCPUs', RDS_PROXY, 'price list'),
      rdsProxyAcuHour: p(0.018, 'per ACU-hour, minimum 8 ACUs (Aurora Serverless v2)', RDS_PROXY, 'price list'),
      natGatewayHour: p(0.059, 'per NAT gateway-hour', VPC, 'price list'),
      natGatewayGb: p(0.059, 'per GB processed', VPC, 'price list'),
      interfaceEndpointAzHour: p(0.013, 'per endpoint per AZ-hour', PRIVATELINK, 'price list'),
      interfaceEndpointGb: p(0.01, 'per GB processed (first PB)', PRIVATELINK, 'aws page'),
      publicIpv4Hour: p(0.005, 'per public IPv4 address-hour (since 2024-02-01)', VPC, 'aws docs'),
      secretMonth: p(0.4, 'per secret-month', SECRETS, 'price list'),
      alarmMonth: p(0.1, 'per standard-resolution alarm metric-month', CLOUDWATCH, 'price list'),
      sqsRequestPerMillion: p(0.4, 'per 1M requests (standard queue, 64 KB chunks)', SQS, 'price list'),
      dataTransferOutGb: p(0.126, 'per GB out to the internet (first 10 TB)', EC2, 'price list'),
      rdsStorageGbMonth: p(0.131, 'per GB-month gp3, Single-AZ', RDS_PG, 'price list'),
      auroraAcuHour: p(0.2, 'per ACU-hour (Aurora Serverless v2, Standard)', AURORA, 'price list'),
      auroraStorageGbMonth: p(0.1, 'per GB-month (Aurora Standard)', AURORA, 'price list'),
      rdsInstanceHour: {
        'db.t4g.micro': p(0.025, 'per instance-hour, PostgreSQL Single-AZ', RDS_PG, 'price list'),
        'db.t4g.small': p(0.051, 'per instance-hour, PostgreSQL Single-AZ', RDS_PG, 'price list'),
        'db.t4g.medium': p(0.102, 'per instance-hour, PostgreSQL Single-AZ', RDS_PG, 'price list'),
        'db.m6g.large': p(0.188, 'per instance-hour, PostgreSQL Single-AZ', RDS_PG, 'price list'),
        'db.m6g.xlarge': p(0.376, 'per instance-hour, PostgreSQL Single-AZ', RDS_PG, 'price list'),
      },
    },
  },
};
