/**
 * Opt-in check of the CloudTrail adapter against a real API: `npm run test:aws` with
 * AWS_ENDPOINT_URL (moto) or GATEHOUSE_AWS_E2E=1 and credentials for a sandbox account. Read-only.
 *
 * moto (5.2) does not implement LookupEvents: it answers 500 with an HTML page. That is exactly a
 * CloudTrail that cannot be asked, so against moto this checks the path the reports page takes
 * then: a typed UNAVAILABLE error, the grant's usage unknown and the environment named, never
 * "unused". On real AWS a made-up principal has no events: null.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { describe, expect, it } from 'vitest';
import { checkGrantUsage } from '@/lib/reports/usage';
import { awsClientConfig } from '@/lib/server/aws/clients';
import { createAwsCloudTrail } from '@/lib/server/aws/cloudtrail';

// eslint-disable-next-line no-restricted-properties -- test-only switch, read once here
const { AWS_ENDPOINT_URL, GATEHOUSE_AWS_E2E } = process.env;
const realAws = GATEHOUSE_AWS_E2E === '1';
const enabled = Boolean(AWS_ENDPOINT_URL) || realAws;
if (!enabled) console.info('skipped: set AWS_ENDPOINT_URL (moto) or GATEHOUSE_AWS_E2E=1 with credentials for a sandbox account');

describe.skipIf(!enabled)('CloudTrail adapter against AWS', () => {
  const trail = createAwsCloudTrail(new CloudTrailClient({ ...(enabled ? awsClientConfig() : { region: 'us-east-1' }), maxAttempts: 1 }));
  const now = new Date();
  const query = {
    principalArn: 'arn:aws:iam::123456789012:user/gatehouse-e2e-nobody',
    resourceArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dev/e2e/none-AbCdEf',
    start: new Date(now.getTime() - 3600_000),
    end: now,
  };

  it.skipIf(realAws)('moto: LookupEvents is not implemented, so usage is unknown and the environment is named', async () => {
    await expect(trail.findActivity(query)).rejects.toMatchObject({ code: 'UNAVAILABLE', details: { operation: 'CloudTrail LookupEvents' } });
    const grant = {
      id: 'grt_e2e',
      environment: 'DEV' as const,
      kind: 'SECRET_READ' as const,
      userName: 'Nobody',
      teamName: 'E2E',
      ...query,
      startsAt: query.start,
      endsAt: query.end,
      endedAt: query.end,
      endReason: 'EXPIRED' as const,
    };
    const out = await checkGrantUsage([grant], { cloudTrailFor: () => trail, now });
    expect(out.grants[0]!.usage).toEqual({ status: 'unknown', reason: 'error' });
    expect(out.unavailable).toEqual([{ environment: 'DEV', reason: 'error' }]);
  });

  it.skipIf(!realAws)('real AWS: a principal that never acted has no events in the window', async () => {
    expect(await trail.findActivity(query)).toBeNull();
  });
});
