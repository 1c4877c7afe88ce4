import { createSigner, type Credentials } from './sigv4';

/** The one SQS call the API makes. */
export interface JobQueue {
  /** Sends a message; resolves to SQS's message id. */
  send(body: string): Promise<string>;
}

export interface SqsSenderOptions {
  queueUrl: string;
  region: string;
  credentials: () => Promise<Credentials>;
  fetch?: typeof fetch;
  /** Signing time; defaults to now (tests pin it). */
  now?: () => Date;
  timeoutMs?: number;
}

/** An error SQS answered with (`QueueDoesNotExist`, `AccessDenied`, `KmsThrottled`, …). */
export class SqsError extends Error {
  override name = 'SqsError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(`${code}: ${message}`);
  }
}

/**
 * SendMessage over SQS's JSON protocol, signed with SigV4. The endpoint is the queue URL's own
 * origin, which the SQS interface endpoint's private DNS resolves inside the VPC.
 */
export function createSqsSender(options: SqsSenderOptions): JobQueue {
  const url = new URL(options.queueUrl);
  if (url.protocol !== 'https:') throw new Error(`queue URL must be https: ${options.queueUrl}`);
  const signer = createSigner('sqs', options.region, options.credentials);
  const doFetch = options.fetch ?? fetch;
  return {
    async send(messageBody) {
      const body = JSON.stringify({ QueueUrl: options.queueUrl, MessageBody: messageBody });
      const signed = await signer.sign(
        {
          method: 'POST',
          protocol: 'https:',
          hostname: url.hostname,
          path: '/',
          headers: { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' },
          body,
        },
        { signingDate: options.now?.() ?? new Date() },
      );
      const headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== 'host'));
      const response = await doFetch(`${url.origin}/`, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      const text = await response.text();
      let parsed: Record<string, unknown> = {};
      try {
        parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        // A proxy or load balancer error page: reported with the status below.
      }
      if (!response.ok) {
        const type = typeof parsed.__type === 'string' ? parsed.__type.split('#').pop()! : `HTTP${response.status}`;
        const message = typeof parsed.message === 'string' ? parsed.message : typeof parsed.Message === 'string' ? parsed.Message : response.statusText;
        throw new SqsError(type, message, response.status);
      }
      if (typeof parsed.MessageId !== 'string') throw new SqsError('BadResponse', 'SendMessage answered without a MessageId', response.status);
      return parsed.MessageId;
    },
  };
}
