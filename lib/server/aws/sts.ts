import 'server-only';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AccountIdentityPort, CloudAccount } from '@/lib/cloud/account';
import { toAppError } from '@/lib/server/aws/errors';

/** STS adapter: who the portal is in the real (or AWS-compatible) account. */
export function createAwsAccountIdentity(client: STSClient, region: string): AccountIdentityPort {
  return {
    async describeAccount(): Promise<CloudAccount> {
      try {
        const out = await client.send(new GetCallerIdentityCommand({}));
        if (!out.Account || !out.Arn) throw new Error('GetCallerIdentity returned no account');
        return { mode: 'aws', accountId: out.Account, principalArn: out.Arn, region };
      } catch (e) {
        throw toAppError(e, 'STS GetCallerIdentity');
      }
    },
  };
}
