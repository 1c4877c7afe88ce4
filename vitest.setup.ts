import { afterEach, beforeEach, vi } from 'vitest';

// `server-only` throws outside a React Server environment; tests import server modules directly.
vi.mock('server-only', () => ({}));

// A test fails on an unexpected console.error (STYLE.md): code under test that logs an error
// must be asserted with a spy that the test sets up itself.
let errors: unknown[][] = [];
const original = console.error;
beforeEach(() => {
  errors = [];
  console.error = (...args: unknown[]) => {
    errors.push(args);
    original(...args);
  };
});
afterEach(() => {
  console.error = original;
  if (errors.length) throw new Error(`unexpected console.error: ${errors.map((a) => a.map(String).join(' ')).join('\n')}`);
});
