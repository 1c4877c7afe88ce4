import 'server-only';
import { AppError } from '@/lib/errors';

// LimitExceededException is a quota in most services (retrying does not help): it is not throttling.
// SNS names its errors ThrottledException and AuthorizationErrorException; CloudWatch's unknown
// alarm is ResourceNotFound.
const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown']);
const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'AuthorizationErrorException',
  'UnauthorizedOperation',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
]);
const NOT_FOUND = new Set(['NoSuchEntity', 'NoSuchEntityException', 'ResourceNotFoundException', 'ResourceNotFound', 'NotFoundException']);
const CONFLICT = new Set([
  'EntityAlreadyExists',
  'EntityAlreadyExistsException',
  'DeleteConflict',
  'DeleteConflictException',
  'ResourceExistsException',
  'ConcurrentModification',
  'ConcurrentModificationException',
]);

/** Maps an AWS SDK error to a typed AppError; the AWS error name and request id are kept for logs. */
export function toAppError(e: unknown, operation: string): AppError {
  if (e instanceof AppError) return e;
  const err = (typeof e === 'object' && e !== null ? e : { message: String(e) }) as {
    name?: string;
    message?: string;
    $metadata?: { requestId?: string; httpStatusCode?: number };
  };
  const name = err.name ?? 'Error';
  const details = { awsError: name, requestId: err.$metadata?.requestId, operation };
  const message = `${operation}: ${err.message ?? name}`;
  if (THROTTLING.has(name)) return new AppError('RATE_LIMITED', `${operation} was throttled by AWS; it will be retried`, details);
  if (DENIED.has(name)) return new AppError('FORBIDDEN', `${operation} was denied by AWS: the portal's AWS identity lacks a permission`, details);
  if (NOT_FOUND.has(name)) return new AppError('NOT_FOUND', message, details);
  if (CONFLICT.has(name)) return new AppError('CONFLICT', message, details);
  return new AppError('UNAVAILABLE', message, details);
}
