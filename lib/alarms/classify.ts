import type { Alarm, AlarmRecord, Dimension } from '@/lib/alarms/model';
import { ENVIRONMENT_ALIASES } from '@/lib/environments';

/** Environment words as teams write them, mapped to one name each: the portal's, and others alarms may name. */
const ENVIRONMENT_WORDS: Record<string, string> = { ...ENVIRONMENT_ALIASES, test: 'test', qa: 'qa', sandbox: 'sandbox' };

/** What an alarm is about when its dimension names the resource (the namespace alone is too coarse). */
const SERVICE_BY_DIMENSION: Record<string, string> = {
  QueueName: 'queue',
  DBInstanceIdentifier: 'database',
  DBClusterIdentifier: 'database',
  ProxyName: 'proxy',
  TableName: 'dynamodb',
  ApiName: 'api-gateway',
  ApiId: 'api-gateway',
  LoadBalancer: 'load-balancer',
  TargetGroup: 'load-balancer',
  ClusterName: 'cluster',
  StateMachineArn: 'step-functions',
  TopicName: 'sns',
};

export const UNKNOWN_ENVIRONMENT = 'other';
export const UNKNOWN_SERVICE = 'other';

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function environmentIn(text: string): { env: string; index: number } | null {
  const w = words(text);
  const index = w.findIndex((x) => x in ENVIRONMENT_WORDS);
  return index < 0 ? null : { env: ENVIRONMENT_WORDS[w[index]!]!, index };
}

/** The words of a name after its environment word: serverless-prod-api-errors -> [api, errors]. */
function afterEnvironment(text: string): string[] {
  const found = environmentIn(text);
  return found ? words(text).slice(found.index + 1) : [];
}

function dimensionsOf(alarm: AlarmRecord): Dimension[] {
  if (alarm.metric) return alarm.metric.dimensions;
  return (alarm.metrics ?? []).flatMap((q) => q.metric?.dimensions ?? []);
}

function namespaceOf(alarm: AlarmRecord): string | null {
  return alarm.metric?.namespace ?? alarm.metrics?.find((q) => q.metric)?.metric?.namespace ?? null;
}

/** The environment an alarm watches: an environment word in its name, else in its dimensions' values. */
export function environmentOf(alarm: AlarmRecord): string {
  const fromName = environmentIn(alarm.name);
  if (fromName) return fromName.env;
  for (const d of dimensionsOf(alarm)) {
    const found = environmentIn(d.value);
    if (found) return found.env;
  }
  return UNKNOWN_ENVIRONMENT;
}

/**
 * The service an alarm watches. A Lambda function is the service (its name without the
 * `<stack>-<env>-` prefix: serverless-prod-api -> api); queues, databases and proxies are named by
 * their kind; a composite alarm, or a metric without a telling dimension, by the word after the
 * environment in its name; last, the namespace (AWS/EC2 -> ec2).
 */
export function serviceOf(alarm: AlarmRecord): string {
  const dims = dimensionsOf(alarm);
  if (alarm.type === 'metric') {
    const fn = dims.find((d) => d.name === 'FunctionName');
    if (fn) {
      const name = fn.value.split(':')[0]!;
      const rest = afterEnvironment(name);
      return rest.length ? rest.join('-') : name.toLowerCase();
    }
    for (const d of dims) {
      const kind = SERVICE_BY_DIMENSION[d.name];
      if (kind) return kind;
    }
  }
  const next = afterEnvironment(alarm.name)[0];
  if (next) return next;
  const namespace = namespaceOf(alarm);
  if (namespace) return words(namespace.replace(/^AWS\//, ''))[0] ?? UNKNOWN_SERVICE;
  return UNKNOWN_SERVICE;
}

/** An alarm with its environment and service. */
export function classifyAlarm(alarm: AlarmRecord): Alarm {
  return { ...alarm, environment: environmentOf(alarm), service: serviceOf(alarm) };
}

/** The alarms a composite alarm's rule names: ALARM("a") OR ALARM(b) AND NOT OK("c") -> [a, b, c]. */
export function ruleAlarmNames(rule: string): string[] {
  const names: string[] = [];
  const pattern = /\b(?:ALARM|OK|INSUFFICIENT_DATA)\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^()\s"']+))\s*\)/g;
  for (const m of rule.matchAll(pattern)) {
    const name = (m[1] ?? m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}
