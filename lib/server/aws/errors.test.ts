import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { toAppError } from '@/lib/server/aws/errors';

/** An error shaped like the ones the AWS SDK v3 throws. */
function awsError(name: string, message = `${name} happened`, requestId: string | undefined = 'req-123'): Error {
  return Object.assign(new Error(message), { name, $metadata: { requestId, httpStatusCode: 400 } });
}

const OP = 'IAM CreateRole';

describe('toAppError', () => {
  it.each(['Throttling', 'ThrottlingException', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown'])(
    'maps %s to RATE_LIMITED',
    (name) => {
      const e = toAppError(awsError(name), OP);
      expect(e).toBeInstanceOf(AppError);
      expect(e.code).toBe('RATE_LIMITED');
      expect(e.message).toBe('IAM CreateRole was throttled by AWS; it will be retried');
      expect(e.details).toEqual({ awsError: name, requestId: 'req-123', operation: OP });
    },
  );

  it.each([
    'AccessDenied',
    'AccessDeniedException',
    'AuthorizationErrorException',
    'UnauthorizedOperation',
    'InvalidClientTokenId',
    'ExpiredToken',
    'ExpiredTokenException',
  ])('maps %s to FORBIDDEN', (name) => {
    const e = toAppError(awsError(name), OP);
    expect(e.code).toBe('FORBIDDEN');
    expect(e.message).toBe("IAM CreateRole was denied by AWS: the portal's AWS identity lacks a permission");
    expect(e.details).toEqual({ awsError: name, requestId: 'req-123', operation: OP });
  });

  it.each(['NoSuchEntity', 'ResourceNotFoundException', 'ResourceNotFound', 'NotFoundException'])('maps %s to NOT_FOUND with the AWS message', (name) => {
    const e = toAppError(awsError(name, 'The role with name x cannot be found.'), OP);
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toBe('IAM CreateRole: The role with name x cannot be found.');
    expect(e.details).toEqual({ awsError: name, requestId: 'req-123', operation: OP });
  });

  it.each(['EntityAlreadyExists', 'ResourceExistsException', 'ConcurrentModification', 'ConcurrentModificationException'])(
    'maps %s to CONFLICT with the AWS message',
    (name) => {
      const e = toAppError(awsError(name, 'Role with name x already exists.'), OP);
      expect(e.code).toBe('CONFLICT');
      expect(e.message).toBe('IAM CreateRole: Role with name x already exists.');
      expect(e.details).toEqual({ awsError: name, requestId: 'req-123', operation: OP });
    },
  );

  it('maps any other AWS error to UNAVAILABLE', () => {
    const e = toAppError(awsError('ServiceFailure', 'Internal failure', 'req-9'), OP);
    expect(e.code).toBe('UNAVAILABLE');
    expect(e.message).toBe('IAM CreateRole: Internal failure');
    expect(e.details).toEqual({ awsError: 'ServiceFailure', requestId: 'req-9', operation: OP });
  });

  it('maps a network error without metadata to UNAVAILABLE with no request id', () => {
    const e = toAppError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' }), OP);
    expect(e.code).toBe('UNAVAILABLE');
    expect(e.message).toBe('IAM CreateRole: connect ECONNREFUSED 127.0.0.1:4566');
    expect(e.details).toEqual({ awsError: 'Error', requestId: undefined, operation: OP });
  });

  it('falls back to the error name when there is no message', () => {
    const e = toAppError({ name: 'InternalFailure' }, OP);
    expect(e.code).toBe('UNAVAILABLE');
    expect(e.message).toBe('IAM CreateRole: InternalFailure');
  });

  it('matches error names exactly', () => {
    expect(toAppError(awsError('accessdenied'), OP).code).toBe('UNAVAILABLE');
    expect(toAppError(awsError('AccessDeniedError'), OP).code).toBe('UNAVAILABLE');
  });

  it('passes an AppError through unchanged', () => {
    const original = new AppError('BAD_REQUEST', 'bad role name', { field: 'name' });
    expect(toAppError(original, OP)).toBe(original);
  });
});

describe('toAppError with unusual thrown values', () => {
  it('keeps a thrown string and survives null', () => {
    expect(toAppError('boom', 'op').message).toBe('op: boom');
    expect(toAppError(null, 'op').code).toBe('UNAVAILABLE');
  });
  it('treats LimitExceededException as a quota, not throttling', () => {
    expect(toAppError(Object.assign(new Error('quota'), { name: 'LimitExceededException' }), 'op').code).toBe('UNAVAILABLE');
  });
});
