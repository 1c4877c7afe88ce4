import 'server-only';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceDriftsCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  type Change,
  type DescribeChangeSetCommandOutput,
  type Stack,
  type StackEvent as SdkStackEvent,
  type StackResourceDrift,
} from '@aws-sdk/client-cloudformation';
import { AppError } from '@/lib/errors';
import type { DriftDetectionState, RawResourceChange, ResourceDrift, StackEvent, StackInfo } from '@/lib/deployments/model';
import type { CloudFormationPort } from '@/lib/deployments/ports';
import { toAppError } from '@/lib/server/aws/errors';

/** CloudFormation takes at most this many bytes as TemplateBody; larger templates go through S3 (TemplateURL). */
export const TEMPLATE_BODY_LIMIT = 51_200;

export interface AwsCloudFormationOptions {
  /** Puts a template too large for TemplateBody where CloudFormation can read it; returns its URL. Unset: such templates are refused. */
  uploadTemplate?: (body: string) => Promise<string>;
  /**
   * The client ExecuteChangeSet is sent with: one SDK attempt (maxAttempts 1), so that after an
   * unclear answer the portal asks CloudFormation what happened before sending it again, rather
   * than the SDK resending it blindly (an emulator that ignores the token runs it twice). Defaults
   * to `client`. (docs/decisions/027-forecast-backoff-and-ambiguous-execute.md)
   */
  executeClient?: CloudFormationClient;
  /** Waits between throttled attempts (tests replace it). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Retries of one throttled call on top of the SDK's own, with backoff (3 by default). */
  throttleRetries?: number;
  /** First backoff delay; doubles per retry, capped at 8 s, with equal jitter. */
  backoffBaseMs?: number;
  /** DescribeStackEvents pages read at most per poll. */
  maxEventPages?: number;
}

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** CloudFormation's error names (the SDK's class name or the wire code) as AppErrors; details.awsError keeps the name. */
export function cloudFormationError(e: unknown, operation: string): AppError {
  const err = (typeof e === 'object' && e !== null ? e : {}) as { name?: string; message?: string; $metadata?: { requestId?: string } };
  const name = err.name ?? '';
  const message = err.message ?? name;
  const details = { awsError: name, requestId: err.$metadata?.requestId, operation };
  if (name === 'ValidationError' && /does not exist/i.test(message)) return new AppError('NOT_FOUND', `${operation}: ${message}`, details);
  if (name === 'ValidationError' || name === 'InsufficientCapabilitiesException' || name === 'InsufficientCapabilities')
    return new AppError('UNPROCESSABLE', `CloudFormation refused ${operation}: ${message}`, details);
  if (/^(InvalidChangeSetStatus|AlreadyExists|TokenAlreadyExists|OperationInProgress|NameAlreadyExists)/.test(name))
    return new AppError('CONFLICT', `${operation}: ${message}`, details);
  if (/^ChangeSetNotFound|^StackNotFound/.test(name)) return new AppError('NOT_FOUND', `${operation}: ${message}`, details);
  return toAppError(e, `CloudFormation ${operation}`);
}

function stackInfo(s: Stack): StackInfo {
  return {
    stackId: s.StackId ?? '',
    stackName: s.StackName ?? '',
    status: s.StackStatus ?? 'UNKNOWN',
    statusReason: s.StackStatusReason ?? null,
    createdAt: s.CreationTime ?? new Date(0),
    lastUpdatedAt: s.LastUpdatedTime ?? null,
    outputs: (s.Outputs ?? []).map((o) => ({ key: o.OutputKey ?? '', value: o.OutputValue ?? '', description: o.Description ?? null })),
    parameters: Object.fromEntries((s.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ResolvedValue ?? p.ParameterValue ?? ''])),
    tags: Object.fromEntries((s.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    driftStatus: s.DriftInformation?.StackDriftStatus ?? null,
    lastDriftCheckAt: s.DriftInformation?.LastCheckTimestamp ?? null,
    changeSetId: s.ChangeSetId ?? null,
  };
}

function resourceChange(c: Change): RawResourceChange | null {
  const r = c.ResourceChange;
  if (!r) return null;
  return {
    action: r.Action ?? 'Modify',
    logicalId: r.LogicalResourceId ?? '',
    physicalId: r.PhysicalResourceId ?? null,
    resourceType: r.ResourceType ?? '',
    replacement: r.Replacement ?? null,
    scope: r.Scope ?? [],
    details: (r.Details ?? []).map((d) => ({
      attribute: d.Target?.Attribute ?? null,
      name: d.Target?.Name ?? null,
      path: d.Target?.Path ?? null,
      requiresRecreation: d.Target?.RequiresRecreation ?? null,
      beforeValue: d.Target?.BeforeValue ?? null,
      afterValue: d.Target?.AfterValue ?? null,
      attributeChangeType: d.Target?.AttributeChangeType ?? null,
      evaluation: d.Evaluation ?? null,
      changeSource: d.ChangeSource ?? null,
      causingEntity: d.CausingEntity ?? null,
    })),
    beforeContext: r.BeforeContext ?? null,
    afterContext: r.AfterContext ?? null,
  };
}

function stackEvent(e: SdkStackEvent): StackEvent {
  return {
    eventId: e.EventId ?? '',
    timestamp: e.Timestamp ?? new Date(0),
    logicalId: e.LogicalResourceId ?? '',
    physicalId: e.PhysicalResourceId || null,
    resourceType: e.ResourceType ?? '',
    status: e.ResourceStatus ?? '',
    reason: e.ResourceStatusReason ?? null,
    clientRequestToken: e.ClientRequestToken ?? null,
  };
}

function resourceDrift(d: StackResourceDrift): ResourceDrift {
  return {
    logicalId: d.LogicalResourceId ?? '',
    physicalId: d.PhysicalResourceId ?? null,
    resourceType: d.ResourceType ?? '',
    status: d.StackResourceDriftStatus ?? 'NOT_CHECKED',
    differences: (d.PropertyDifferences ?? []).map((p) => ({
      path: p.PropertyPath ?? '',
      expected: p.ExpectedValue ?? null,
      actual: p.ActualValue ?? null,
      type: p.DifferenceType ?? 'NOT_EQUAL',
    })),
  };
}

/**
 * The CloudFormation port on the AWS SDK. Every call is retried with backoff when throttled (on top
 * of the client's adaptive retries, which give up quickly), and its errors become AppErrors.
 */
export function createAwsCloudFormation(client: CloudFormationClient, options: AwsCloudFormationOptions = {}): CloudFormationPort {
  const sleep = options.sleep ?? sleepMs;
  const random = options.random ?? Math.random;
  const retries = options.throttleRetries ?? 3;
  const base = options.backoffBaseMs ?? 500;
  const maxPages = options.maxEventPages ?? 50;
  const executeClient = options.executeClient ?? client;

  async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (e) {
        const err = cloudFormationError(e, operation);
        if (err.code !== 'RATE_LIMITED' || attempt >= retries) throw err;
        const cap = Math.min(8_000, base * 2 ** attempt);
        await sleep(cap / 2 + random() * (cap / 2));
      }
    }
  }

  return {
    async describeStack(stackName) {
      try {
        const out = await call('DescribeStacks', () => client.send(new DescribeStacksCommand({ StackName: stackName })));
        const stack = out.Stacks?.[0];
        return stack ? stackInfo(stack) : null;
      } catch (e) {
        if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
        throw e;
      }
    },

    async createChangeSet(input) {
      if (input.sandboxFailResource) throw new AppError('UNPROCESSABLE', 'Failing a resource on purpose exists only in the local sandbox account.');
      const bytes = Buffer.byteLength(input.templateBody, 'utf8');
      let template: { TemplateBody: string } | { TemplateURL: string };
      if (bytes <= TEMPLATE_BODY_LIMIT) template = { TemplateBody: input.templateBody };
      else if (options.uploadTemplate) template = { TemplateURL: await options.uploadTemplate(input.templateBody) };
      else {
        throw new AppError(
          'UNAVAILABLE',
          `The template is ${bytes.toLocaleString('en')} bytes, over CloudFormation's ${TEMPLATE_BODY_LIMIT.toLocaleString('en')}-byte limit for an inline template: set GATEHOUSE_DEPLOY_TEMPLATE_BUCKET to an S3 bucket in ${await client.config.region()} that the portal may write to.`,
        );
      }
      const out = await call('CreateChangeSet', () =>
        client.send(
          new CreateChangeSetCommand({
            StackName: input.stackName,
            ChangeSetName: input.changeSetName,
            ChangeSetType: input.changeSetType,
            ...template,
            Parameters: Object.entries(input.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
            // The template creates IAM roles for its functions (no custom names today; NAMED keeps a
            // future RoleName from failing the plan).
            Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
            Description: input.description,
            // A retry of this request returns the same change set instead of a second one.
            ClientToken: input.changeSetName,
          }),
        ),
      );
      if (!out.Id) throw new AppError('UNAVAILABLE', 'CloudFormation CreateChangeSet answered without a change set id.');
      return { changeSetId: out.Id, stackId: out.StackId ?? '' };
    },

    async describeChangeSet(stackName, changeSetId) {
      const changes: RawResourceChange[] = [];
      let token: string | undefined;
      let first: DescribeChangeSetCommandOutput | undefined;
      do {
        const page = await call('DescribeChangeSet', () =>
          client.send(new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetId, IncludePropertyValues: true, NextToken: token })),
        );
        first ??= page;
        for (const c of page.Changes ?? []) {
          const rc = resourceChange(c);
          if (rc) changes.push(rc);
        }
        token = page.NextToken;
      } while (token);
      if (!first) throw new AppError('UNAVAILABLE', 'CloudFormation DescribeChangeSet answered nothing.');
      return {
        changeSetId: first.ChangeSetId ?? changeSetId,
        status: first.Status ?? 'UNKNOWN',
        statusReason: first.StatusReason ?? null,
        executionStatus: first.ExecutionStatus ?? 'UNAVAILABLE',
        createdAt: first.CreationTime ?? new Date(0),
        changes,
      };
    },

    async executeChangeSet(stackName, changeSetId, idempotencyToken) {
      // Throttling is retried (a throttled request did not run); any other error is the caller's to reconcile.
      await call('ExecuteChangeSet', () =>
        executeClient.send(new ExecuteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetId, ClientRequestToken: idempotencyToken })),
      );
    },

    async deleteChangeSet(stackName, changeSetId) {
      try {
        await call('DeleteChangeSet', () => client.send(new DeleteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetId })));
      } catch (e) {
        if (!(e instanceof AppError && e.code === 'NOT_FOUND')) throw e;
      }
    },

    async latestStackEventId(stackName) {
      const out = await call('DescribeStackEvents', () => client.send(new DescribeStackEventsCommand({ StackName: stackName })));
      return out.StackEvents?.[0]?.EventId ?? null;
    },

    async listStackEvents(stackName, since) {
      // Newest first, page after page, until the last event already seen (or the time before the
      // execution began): everything read before that point is new.
      const fresh: StackEvent[] = [];
      let token: string | undefined;
      for (let page = 0; page < maxPages; page++) {
        const out = await call('DescribeStackEvents', () => client.send(new DescribeStackEventsCommand({ StackName: stackName, NextToken: token })));
        for (const raw of out.StackEvents ?? []) {
          const e = stackEvent(raw);
          if ((since.afterEventId && e.eventId === since.afterEventId) || e.timestamp < since.notBefore) return fresh.reverse();
          fresh.push(e);
        }
        token = out.NextToken;
        if (!token) break;
      }
      return fresh.reverse();
    },

    async detectStackDrift(stackName) {
      const out = await call('DetectStackDrift', () => client.send(new DetectStackDriftCommand({ StackName: stackName })));
      if (!out.StackDriftDetectionId) throw new AppError('UNAVAILABLE', 'CloudFormation DetectStackDrift answered without a detection id.');
      return out.StackDriftDetectionId;
    },

    async describeDriftDetection(detectionId) {
      const out = await call('DescribeStackDriftDetectionStatus', () =>
        client.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: detectionId })),
      );
      return {
        state: (out.DetectionStatus ?? 'DETECTION_FAILED') as DriftDetectionState,
        stackDriftStatus: out.StackDriftStatus ?? null,
        driftedCount: out.DriftedStackResourceCount ?? null,
        reason: out.DetectionStatusReason ?? null,
      };
    },

    async listResourceDrifts(stackName) {
      const drifts: ResourceDrift[] = [];
      let token: string | undefined;
      do {
        const out = await call('DescribeStackResourceDrifts', () =>
          client.send(
            new DescribeStackResourceDriftsCommand({ StackName: stackName, StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'], NextToken: token }),
          ),
        );
        drifts.push(...(out.StackResourceDrifts ?? []).map(resourceDrift));
        token = out.NextToken;
      } while (token);
      return drifts;
    },

    async getTemplateBody(stackName) {
      try {
        const out = await call('GetTemplate', () => client.send(new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' })));
        return out.TemplateBody ?? null;
      } catch (e) {
        if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
        throw e;
      }
    },
  };
}
