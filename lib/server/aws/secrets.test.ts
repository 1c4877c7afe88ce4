import { readFileSync } from 'node:fs';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
// Registers the matchers (toHaveReceivedCommandWith, …) and their types.
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { createAwsSecrets } from '@/lib/server/aws/secrets';

const client = new SecretsManagerClient({ region: 'eu-central-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
const sm = mockClient(client);
const secrets = createAwsSecrets(client);

const NAME = 'prod/payments/db';
const ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:prod/payments/db-AbCdEf';
const KEY = 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

beforeEach(() => {
  sm.reset();
  // A value read would be answered, not rejected, so that only the assertions below can catch it.
  sm.on(GetSecretValueCommand).resolves({ ARN, SecretString: 'hunter2' });
});

afterEach(() => {
  // The portal handles secret metadata only: no test may have made it read a value.
  expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
});

describe('createAwsSecrets', () => {
  it('describes a secret by name and returns its ARN and KMS key', async () => {
    sm.on(DescribeSecretCommand).resolves({ ARN, Name: NAME, KmsKeyId: KEY, Description: 'payments database' });

    expect(await secrets.describeSecret(NAME)).toEqual({ arn: ARN, kmsKeyId: KEY });

    expect(sm.calls()).toHaveLength(1);
    expect(sm.commandCalls(DescribeSecretCommand)[0]!.args[0].input).toEqual({ SecretId: NAME });
  });

  it('reports no KMS key for a secret under the default aws/secretsmanager key', async () => {
    sm.on(DescribeSecretCommand).resolves({ ARN, Name: NAME });
    expect(await secrets.describeSecret(NAME)).toEqual({ arn: ARN, kmsKeyId: null });
  });

  it('returns null when there is no such secret', async () => {
    sm.on(DescribeSecretCommand).rejects(
      new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: { requestId: 'req-404', httpStatusCode: 400 } }),
    );

    expect(await secrets.describeSecret('prod/missing')).toBeNull();
    expect(sm.commandCalls(DescribeSecretCommand)[0]!.args[0].input).toEqual({ SecretId: 'prod/missing' });
  });

  it('maps AccessDeniedException to FORBIDDEN', async () => {
    sm.on(DescribeSecretCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { requestId: 'req-403' } }));

    const e = await secrets.describeSecret(NAME).catch((err: unknown) => err);

    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('FORBIDDEN');
    expect((e as AppError).details).toEqual({ awsError: 'AccessDeniedException', requestId: 'req-403', operation: 'Secrets Manager DescribeSecret' });
  });

  it('sends DescribeSecret and nothing else, and its source names no value-reading command', async () => {
    sm.on(DescribeSecretCommand)
      .resolvesOnce({ ARN, KmsKeyId: KEY })
      .rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));

    await secrets.describeSecret(NAME);
    await secrets.describeSecret(NAME);

    expect(sm.calls().map((c) => c.args[0].constructor)).toEqual([DescribeSecretCommand, DescribeSecretCommand]);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    // Catches a future edit on a path no test drives (GetSecretValue, BatchGetSecretValue).
    const source = readFileSync(new URL('./secrets.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/GetSecretValue/);
  });
});

describe('createSecret (registration)', () => {
  const spec = {
    name: 'dev/payments/webhook-key',
    description: 'Signs payout webhooks',
    tags: { team: 'payments', env: 'dev' },
    idempotencyKey: 'cm4grant0001',
  };
  const NEW_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:dev/payments/webhook-key-QwErTy';
  const RANDOM = 'aws-generated-random-0123456789abcdefghij';

  it("creates the secret with AWS's random value, the tags, the grant tag and a stable request token", async () => {
    sm.on(GetRandomPasswordCommand).resolves({ RandomPassword: RANDOM });
    sm.on(CreateSecretCommand).resolves({ ARN: NEW_ARN, Name: spec.name });
    sm.on(DescribeSecretCommand).resolves({ ARN: NEW_ARN, Name: spec.name });

    const created = await secrets.createSecret(spec);

    expect(created).toEqual({ arn: NEW_ARN, kmsKeyId: null });
    // The random value is never part of what the adapter returns.
    expect(JSON.stringify(created)).not.toContain(RANDOM);
    expect(sm).toHaveReceivedCommandWith(GetRandomPasswordCommand, { PasswordLength: 40, ExcludePunctuation: true });
    const input = sm.commandCalls(CreateSecretCommand)[0]!.args[0].input;
    expect(input).toEqual({
      Name: spec.name,
      Description: spec.description,
      SecretString: RANDOM,
      Tags: [
        { Key: 'team', Value: 'payments' },
        { Key: 'env', Value: 'dev' },
        { Key: 'gatehouse:grant', Value: 'cm4grant0001' },
      ],
      ClientRequestToken: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
    });
    // The same grant always sends the same token (Secrets Manager's idempotency).
    await secrets.createSecret(spec);
    expect(sm.commandCalls(CreateSecretCommand)[1]!.args[0].input.ClientRequestToken).toBe(input.ClientRequestToken);
  });

  it('finds its own secret on a retry (ResourceExists, tagged with the same grant)', async () => {
    sm.on(GetRandomPasswordCommand).resolves({ RandomPassword: RANDOM });
    sm.on(CreateSecretCommand).rejects(new ResourceExistsException({ message: 'already exists', $metadata: {} }));
    sm.on(DescribeSecretCommand).resolves({ ARN: NEW_ARN, Name: spec.name, KmsKeyId: KEY, Tags: [{ Key: 'gatehouse:grant', Value: 'cm4grant0001' }] });

    expect(await secrets.createSecret(spec)).toEqual({ arn: NEW_ARN, kmsKeyId: KEY });
  });

  it('refuses a secret of that name that somebody else created (CONFLICT)', async () => {
    sm.on(GetRandomPasswordCommand).resolves({ RandomPassword: RANDOM });
    sm.on(CreateSecretCommand).rejects(new ResourceExistsException({ message: 'already exists', $metadata: {} }));
    sm.on(DescribeSecretCommand).resolves({ ARN: NEW_ARN, Name: spec.name, Tags: [{ Key: 'team', Value: 'payments' }] });

    await expect(secrets.createSecret(spec)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/already exists in AWS and was not created by this request/),
    });
  });

  it('maps throttling to RATE_LIMITED (the grant engine retries later)', async () => {
    sm.on(GetRandomPasswordCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} }));

    await expect(secrets.createSecret(spec)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(0);
  });
});
