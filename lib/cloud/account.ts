/** Which cloud account the portal talks to, as shown in the header and on the health check. */
export interface CloudAccount {
  mode: 'sandbox' | 'aws';
  accountId: string;
  /** ARN of the identity the portal acts as. */
  principalArn: string;
  region: string;
}

/** Port: tells who the portal is in the cloud (STS GetCallerIdentity or the sandbox). */
export interface AccountIdentityPort {
  describeAccount(): Promise<CloudAccount>;
}
