/** What the usage check asks CloudTrail: did this principal act on this resource in this window? */
export interface ActivityQuery {
  /** The IAM user or role the grant attached its policy to. */
  principalArn: string;
  /** What the grant gave access to (a secret's or a role's ARN). */
  resourceArn: string;
  start: Date;
  end: Date;
}

/**
 * CloudTrail's event history of one account (LookupEvents in aws mode; the sandbox's recorded
 * events in the sandbox). Throws an AppError when it cannot be asked: FORBIDDEN (denied),
 * RATE_LIMITED (throttled after the SDK's retries), UNAVAILABLE (anything else, or more events on
 * the resource than one check reads).
 */
export interface CloudTrailPort {
  /** An event in the window in which the principal acted on the resource (the newest found); null: none. */
  findActivity(query: ActivityQuery): Promise<{ at: Date; eventName: string } | null>;
}
