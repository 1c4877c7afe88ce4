import { describe, expect, it } from 'vitest';
import * as z from '@/lib/zod-mini';

// zod/mini has no messages of its own ("Invalid input"); lib/zod-mini.ts loads zod's English ones,
// so a form's schema says in the browser what zod says on the server.
describe('lib/zod-mini', () => {
  it("answers with zod's English messages", () => {
    const schema = z.object({ name: z.string().check(z.maxLength(3)), count: z.number().check(z.int(), z.minimum(1)) });
    const issues = schema.safeParse({ name: 'abcd', count: 0.5 }).error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues).toEqual([
      ['name', 'Too big: expected string to have <=3 characters'],
      ['count', 'Invalid input: expected int, received number'],
    ]);
  });

  it('preprocess runs before the schema, as zod’s does', () => {
    const schema = z.preprocess((v) => (typeof v === 'string' ? Number(v) : v), z.number());
    expect(schema.parse('42')).toBe(42);
    expect(schema.safeParse('x').error?.issues[0]?.message).toBe('Invalid input: expected number, received NaN');
  });
});
