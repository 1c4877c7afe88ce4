import { afterEach, describe, expect, it, vi } from 'vitest';
import { singleton } from '@/lib/server/singleton';

const KEY = 'test.singleton';

afterEach(() => {
  delete (globalThis as unknown as Record<symbol, unknown>)[Symbol.for(`gatehouse.${KEY}`)];
});

describe('singleton', () => {
  it('builds once per key and returns the same instance after', () => {
    const create = vi.fn(() => ({ made: Math.random() }));
    const first = singleton(KEY, create);
    expect(singleton(KEY, create)).toBe(first);
    expect(create).toHaveBeenCalledTimes(1);
    expect(singleton(`${KEY}.other`, () => 'other')).toBe('other');
    delete (globalThis as unknown as Record<symbol, unknown>)[Symbol.for(`gatehouse.${KEY}.other`)];
  });

  it('keeps an instance that is falsy', () => {
    const create = vi.fn(() => 0);
    expect(singleton(KEY, create)).toBe(0);
    expect(singleton(KEY, create)).toBe(0);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('is shared by a second copy of the module (another bundle, a dev reload)', async () => {
    const instance = singleton(KEY, () => new Map());
    vi.resetModules();
    const copy = await import('@/lib/server/singleton');
    expect(copy.singleton).not.toBe(singleton);
    expect(copy.singleton(KEY, () => new Map())).toBe(instance);
  });
});
