import { describe, expect, it } from 'vitest';
import type * as z from '@/lib/zod-mini';
import { createRequestSchema, decideRequestSchema, listRequestsSchema } from '@/lib/access/schemas';

interface Issue {
  path: PropertyKey[];
  code: string;
  message: string;
}

function issuesOf(schema: z.ZodMiniType, input: unknown): Issue[] {
  const result = schema.safeParse(input);
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => ({ path: i.path, code: i.code, message: i.message }));
}

const JUSTIFICATION = 'Rotating the payments API key after an incident';
const SHORT_JUSTIFICATION = 'Say why you need it (at least 10 characters).';
const LONG_JUSTIFICATION = 'Keep the justification under 2000 characters.';
const TICKET = 'Use a ticket key or URL path such as OPS-123.';
const WHOLE = 'Give a whole number of minutes.';
const SHORTEST = 'The shortest access is 15 minutes.';
const LONGEST = 'That is longer than any rule allows.';
const NO_REASON = 'Break-glass needs a reason.';

const secretRead = { type: 'SECRET_READ', secretId: 'sec_1', justification: JUSTIFICATION, durationMinutes: '60' };
const role = { type: 'ROLE', roleId: 'role_1', justification: JUSTIFICATION, durationMinutes: '60' };
const secretRegister = {
  type: 'SECRET_REGISTER',
  environment: 'PROD',
  teamId: 'team_1',
  secretName: 'db.password_v2',
  description: 'Main database password',
  justification: JUSTIFICATION,
  durationMinutes: '30',
};

describe('createRequestSchema: startsAt is an instant with its offset', () => {
  it('reads the offset the form sends (Europe/Berlin 10:00 in December is 09:00 UTC)', () => {
    const data = createRequestSchema.parse({ ...secretRead, startsAt: '2026-12-20T10:00:00+01:00' });
    expect(data.startsAt?.toISOString()).toBe('2026-12-20T09:00:00.000Z');
  });
  it('refuses a wall-clock time without an offset (it would be read in the server’s zone)', () => {
    const parsed = createRequestSchema.safeParse({ ...secretRead, startsAt: '2026-12-20T10:00' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['startsAt']);
  });
});

describe('createRequestSchema: valid bodies', () => {
  it('parses a SECRET_READ form body: duration coerced, blank ticketRef dropped, breakGlass "on" is true', () => {
    const data = createRequestSchema.parse({
      ...secretRead,
      justification: `   ${JUSTIFICATION}  `,
      ticketRef: '',
      breakGlass: 'on',
      breakGlassReason: '  Payments are down in prod ',
      startsAt: '',
      extendsRequestId: '',
    });
    expect(data).toEqual({
      type: 'SECRET_READ',
      secretId: 'sec_1',
      justification: JUSTIFICATION,
      durationMinutes: 60,
      breakGlass: true,
      breakGlassReason: 'Payments are down in prod',
    });
    expect(data.ticketRef).toBeUndefined();
    expect(data.startsAt).toBeUndefined();
    expect(data.extendsRequestId).toBeUndefined();
  });

  it('parses a ROLE JSON body with a ticket, a start time and no break-glass', () => {
    const data = createRequestSchema.parse({
      ...role,
      durationMinutes: 480,
      ticketRef: ' OPS-123 ',
      startsAt: '2025-03-01T12:00:00.000Z',
      extendsRequestId: 'req_9',
    });
    expect(data).toEqual({
      type: 'ROLE',
      roleId: 'role_1',
      justification: JUSTIFICATION,
      durationMinutes: 480,
      ticketRef: 'OPS-123',
      startsAt: new Date('2025-03-01T12:00:00.000Z'),
      extendsRequestId: 'req_9',
      breakGlass: false,
    });
  });

  it('parses a SECRET_REGISTER body with rotationDays coerced', () => {
    expect(createRequestSchema.parse({ ...secretRegister, rotationDays: '90' })).toEqual({
      type: 'SECRET_REGISTER',
      environment: 'PROD',
      teamId: 'team_1',
      secretName: 'db.password_v2',
      description: 'Main database password',
      rotationDays: 90,
      justification: JUSTIFICATION,
      durationMinutes: 30,
      breakGlass: false,
    });
    const blank = createRequestSchema.parse({ ...secretRegister, rotationDays: '' });
    expect(blank.type).toBe('SECRET_REGISTER');
    expect(blank.type === 'SECRET_REGISTER' ? blank.rotationDays : 'not a SECRET_REGISTER').toBeUndefined();
  });

  it.each([
    [true, true],
    ['true', true],
    ['on', true],
    [false, false],
    ['false', false],
    [undefined, false],
  ])('reads breakGlass %j as %s', (input, expected) => {
    const body = { ...secretRead, breakGlass: input, breakGlassReason: 'Payments are down in prod' };
    expect(createRequestSchema.parse(body).breakGlass).toBe(expected);
  });

  it('accepts every ticketRef character the pattern allows', () => {
    expect(createRequestSchema.parse({ ...secretRead, ticketRef: 'ops/OPS-12#3.a_b:c' }).ticketRef).toBe('ops/OPS-12#3.a_b:c');
  });

  it('accepts the boundaries: justification of 10 and 2000 characters, 15 and 129600 minutes', () => {
    expect(createRequestSchema.parse({ ...secretRead, justification: 'j'.repeat(10) }).justification).toBe('jjjjjjjjjj');
    expect(createRequestSchema.parse({ ...secretRead, justification: 'j'.repeat(2000) }).justification).toHaveLength(2000);
    expect(createRequestSchema.parse({ ...secretRead, durationMinutes: '15' }).durationMinutes).toBe(15);
    expect(createRequestSchema.parse({ ...secretRead, durationMinutes: '129600' }).durationMinutes).toBe(129600);
  });

  it.each(['DEV', 'STAGING', 'PROD'])('accepts environment %s for SECRET_REGISTER', (environment) => {
    const data = createRequestSchema.parse({ ...secretRegister, environment });
    expect(data.type === 'SECRET_REGISTER' ? data.environment : null).toBe(environment);
  });
});

describe('createRequestSchema: errors', () => {
  it('rejects a body without a type at path type', () => {
    const { type: _type, ...noType } = secretRead;
    expect(issuesOf(createRequestSchema, noType)).toEqual([{ path: ['type'], code: 'invalid_union', message: 'Invalid input' }]);
  });

  it.each(['ADMIN', 'secret_read', ''])('rejects the unknown type %j at path type', (type) => {
    expect(issuesOf(createRequestSchema, { ...secretRead, type })).toEqual([{ path: ['type'], code: 'invalid_union', message: 'Invalid input' }]);
  });

  it('asks for the id the type needs', () => {
    const { secretId: _s, ...noSecret } = secretRead;
    expect(issuesOf(createRequestSchema, noSecret).map((i) => i.path)).toEqual([['secretId']]);
    expect(issuesOf(createRequestSchema, { ...role, roleId: '  ' })).toEqual([{ path: ['roleId'], code: 'too_small', message: 'is required' }]);
  });

  it('rejects a missing justification', () => {
    const { justification: _j, ...noJustification } = secretRead;
    expect(issuesOf(createRequestSchema, noJustification)).toEqual([{ path: ['justification'], code: 'invalid_type', message: 'Say why you need it.' }]);
  });

  it.each(['j'.repeat(9), '   short    ', ''])('rejects the too-short justification %j (counted after trimming)', (justification) => {
    expect(issuesOf(createRequestSchema, { ...secretRead, justification })).toEqual([
      { path: ['justification'], code: 'too_small', message: SHORT_JUSTIFICATION },
    ]);
  });

  it('rejects a justification of 2001 characters', () => {
    expect(issuesOf(createRequestSchema, { ...secretRead, justification: 'j'.repeat(2001) })).toEqual([
      { path: ['justification'], code: 'too_big', message: LONG_JUSTIFICATION },
    ]);
  });

  it.each(['OPS 123', 'OPS-1;DROP', 'ops?x=1', 'tïcket'])('rejects the ticketRef %j', (ticketRef) => {
    expect(issuesOf(createRequestSchema, { ...secretRead, ticketRef })).toEqual([{ path: ['ticketRef'], code: 'invalid_format', message: TICKET }]);
  });

  it('rejects a ticketRef over 64 characters', () => {
    expect(issuesOf(createRequestSchema, { ...secretRead, ticketRef: 'T'.repeat(65) }).map((i) => [i.path, i.code])).toEqual([[['ticketRef'], 'too_big']]);
  });

  it.each([
    ['14', 'too_small', SHORTEST],
    [14, 'too_small', SHORTEST],
    ['0', 'too_small', SHORTEST],
    ['-30', 'too_small', SHORTEST],
    ['129601', 'too_big', LONGEST],
    [129601, 'too_big', LONGEST],
    ['60.5', 'invalid_type', WHOLE],
    [15.5, 'invalid_type', WHOLE],
    ['abc', 'invalid_type', 'Give a duration in minutes.'],
  ])('rejects durationMinutes %j (%s)', (durationMinutes, code, message) => {
    expect(issuesOf(createRequestSchema, { ...secretRead, durationMinutes })).toEqual([{ path: ['durationMinutes'], code, message }]);
  });

  it.each([undefined, '', '   '])('rejects break-glass without a reason (reason %j)', (breakGlassReason) => {
    expect(issuesOf(createRequestSchema, { ...secretRead, breakGlass: 'on', breakGlassReason })).toEqual([
      { path: ['breakGlassReason'], code: 'custom', message: NO_REASON },
    ]);
  });

  it('rejects a break-glass reason under 10 characters', () => {
    expect(issuesOf(createRequestSchema, { ...role, breakGlass: true, breakGlassReason: 'broken' })).toEqual([
      { path: ['breakGlassReason'], code: 'too_small', message: 'Say what is broken (at least 10 characters).' },
    ]);
  });

  it.each(['Bad Name', 'UPPER', '-leading-dash', 'a/b', '', 'x'.repeat(129)])('rejects the SECRET_REGISTER secretName %j', (secretName) => {
    expect(issuesOf(createRequestSchema, { ...secretRegister, secretName })).toEqual([
      { path: ['secretName'], code: 'invalid_format', message: 'Use lower-case letters, digits, dots, dashes or underscores.' },
    ]);
  });

  it.each(['QA', 'prod', '', undefined])('rejects the SECRET_REGISTER environment %j', (environment) => {
    expect(issuesOf(createRequestSchema, { ...secretRegister, environment })).toEqual([
      { path: ['environment'], code: 'invalid_value', message: 'Pick dev, staging or prod.' },
    ]);
  });

  it('rejects a SECRET_REGISTER description under 3 characters and rotationDays out of 1..365', () => {
    expect(issuesOf(createRequestSchema, { ...secretRegister, description: 'db' })).toEqual([
      { path: ['description'], code: 'too_small', message: 'Describe the secret.' },
    ]);
    expect(issuesOf(createRequestSchema, { ...secretRegister, rotationDays: '0' }).map((i) => i.path)).toEqual([['rotationDays']]);
    expect(issuesOf(createRequestSchema, { ...secretRegister, rotationDays: '366' }).map((i) => i.path)).toEqual([['rotationDays']]);
  });

  it('reports every invalid field of a body at once', () => {
    expect(issuesOf(createRequestSchema, { ...secretRead, justification: 'short', ticketRef: 'a b', durationMinutes: '5' }).map((i) => i.path)).toEqual([
      ['justification'],
      ['ticketRef'],
      ['durationMinutes'],
    ]);
  });
});

describe('decideRequestSchema', () => {
  it.each(['APPROVE', 'REJECT'])('accepts kind %s and defaults the comment to ""', (kind) => {
    expect(decideRequestSchema.parse({ requestId: 'req_1', kind })).toEqual({ requestId: 'req_1', kind, comment: '' });
    expect(decideRequestSchema.parse({ requestId: 'req_1', kind, comment: null })).toEqual({ requestId: 'req_1', kind, comment: '' });
  });

  it('trims the comment and accepts 1000 characters', () => {
    expect(decideRequestSchema.parse({ requestId: ' req_1 ', kind: 'APPROVE', comment: '  looks fine ' })).toEqual({
      requestId: 'req_1',
      kind: 'APPROVE',
      comment: 'looks fine',
    });
    expect(decideRequestSchema.parse({ requestId: 'req_1', kind: 'REJECT', comment: 'c'.repeat(1000) }).comment).toHaveLength(1000);
  });

  it.each(['approve', 'MAYBE', '', undefined])('rejects kind %j at path kind', (kind) => {
    expect(issuesOf(decideRequestSchema, { requestId: 'req_1', kind }).map((i) => [i.path, i.code])).toEqual([[['kind'], 'invalid_value']]);
  });

  it('rejects a comment of 1001 characters', () => {
    expect(issuesOf(decideRequestSchema, { requestId: 'req_1', kind: 'REJECT', comment: 'c'.repeat(1001) })).toEqual([
      { path: ['comment'], code: 'too_big', message: 'Keep the comment under 1000 characters.' },
    ]);
  });

  it('requires a requestId', () => {
    expect(issuesOf(decideRequestSchema, { requestId: '', kind: 'APPROVE' })).toEqual([{ path: ['requestId'], code: 'too_small', message: 'is required' }]);
    expect(issuesOf(decideRequestSchema, { kind: 'APPROVE' }).map((i) => i.path)).toEqual([['requestId']]);
  });
});

describe('listRequestsSchema', () => {
  it('defaults to scope mine and limit 25', () => {
    expect(listRequestsSchema.parse({})).toEqual({ scope: 'mine', limit: 25 });
  });

  it('parses every filter and coerces limit from the query string', () => {
    expect(listRequestsSchema.parse({ scope: 'all', status: 'PENDING', type: 'ROLE', environment: 'PROD', cursor: 'abc', limit: '100' })).toEqual({
      scope: 'all',
      status: 'PENDING',
      type: 'ROLE',
      environment: 'PROD',
      cursor: 'abc',
      limit: 100,
    });
    expect(listRequestsSchema.parse({ limit: '1' }).limit).toBe(1);
  });

  it.each([
    ['101', 'too_big'],
    [101, 'too_big'],
    ['0', 'too_small'],
    ['2.5', 'invalid_type'],
    ['many', 'invalid_type'],
  ])('rejects limit %j (%s)', (limit, code) => {
    expect(issuesOf(listRequestsSchema, { limit }).map((i) => [i.path, i.code])).toEqual([[['limit'], code]]);
  });

  it.each([
    ['scope', 'team'],
    ['status', 'DONE'],
    ['type', 'KEY'],
    ['environment', 'prod'],
  ])('rejects %s %j', (field, value) => {
    expect(issuesOf(listRequestsSchema, { [field]: value }).map((i) => [i.path, i.code])).toEqual([[[field], 'invalid_value']]);
  });

  it('rejects a cursor over 200 characters', () => {
    expect(listRequestsSchema.parse({ cursor: 'c'.repeat(200) }).cursor).toHaveLength(200);
    expect(issuesOf(listRequestsSchema, { cursor: 'c'.repeat(201) }).map((i) => [i.path, i.code])).toEqual([[['cursor'], 'too_big']]);
  });
});
