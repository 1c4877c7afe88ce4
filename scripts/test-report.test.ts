import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the test runner, without types
import { playwrightFailures, vitestFailures } from './test-report.mjs';

describe('failed tests named under the npm test summary', () => {
  it('lists each failed Vitest test with its file and the first line of its message, and a file that failed to load', () => {
    const report = {
      testResults: [
        {
          name: '/repo/lib/a.test.ts',
          status: 'failed',
          assertionResults: [
            { fullName: 'a passes', status: 'passed', failureMessages: [] },
            { fullName: 'a › fails', status: 'failed', failureMessages: ['\u001b[31mAssertionError: expected 1 to be 2\u001b[39m\n    at a.test.ts:3:1'] },
          ],
        },
        { name: '/repo/lib/b.test.ts', status: 'failed', message: 'Failed to load ./missing', assertionResults: [] },
        { name: '/repo/lib/c.test.ts', status: 'passed', assertionResults: [{ fullName: 'c', status: 'passed' }] },
      ],
    };
    expect(vitestFailures(report, 'vitest', '/repo')).toEqual([
      'vitest: lib/a.test.ts › a › fails: AssertionError: expected 1 to be 2',
      'vitest: lib/b.test.ts: Failed to load ./missing',
    ]);
  });

  it('lists Playwright tests that failed on every try, with their describe titles, and not flaky ones', () => {
    const report = {
      suites: [
        {
          title: 'grants.spec.ts',
          file: 'grants.spec.ts',
          specs: [{ title: 'top level', file: 'grants.spec.ts', line: 4, tests: [{ status: 'flaky', results: [] }] }],
          suites: [
            {
              title: 'give back',
              file: 'grants.spec.ts',
              specs: [
                {
                  title: 'removes the policy',
                  file: 'grants.spec.ts',
                  line: 12,
                  tests: [{ status: 'unexpected', results: [{ error: { message: 'Error: expect(locator).toBeVisible()\n\nLocator: ...' } }] }],
                },
              ],
            },
          ],
        },
      ],
    };
    expect(playwrightFailures(report, 'e2e')).toEqual(['e2e: grants.spec.ts:12 › give back › removes the policy: Error: expect(locator).toBeVisible()']);
  });
});
