// One line per failed test, from the JSON reports of Vitest and Playwright, for the end of `npm test`:
// CI shows only the last lines of a run, and the summary table alone does not say what failed.
import path from 'node:path';

/** Failed tests of a Vitest JSON report; a file that failed without a failed test (an import error) counts too. */
export function vitestFailures(report, suite, root) {
  const lines = [];
  for (const file of report.testResults ?? []) {
    const name = path.relative(root, file.name);
    const failed = (file.assertionResults ?? []).filter((a) => a.status === 'failed');
    for (const a of failed) lines.push(`${suite}: ${name} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
    if (!failed.length && file.status === 'failed') lines.push(`${suite}: ${name}: ${firstLine(file.message)}`);
  }
  return lines;
}

/** Tests of a Playwright JSON report whose outcome was unexpected (failed on every retry). */
export function playwrightFailures(report, suite) {
  const lines = [];
  const walk = (s, titles) => {
    for (const spec of s.specs ?? [])
      for (const t of spec.tests ?? [])
        if (t.status === 'unexpected')
          lines.push(`${suite}: ${spec.file}:${spec.line} › ${[...titles, spec.title].join(' › ')}: ${firstLine(t.results?.at(-1)?.error?.message)}`);
    // A file's own suite is titled by its file name, which the line already has.
    for (const child of s.suites ?? []) walk(child, child.title === child.file ? titles : [...titles, child.title]);
  };
  for (const s of report.suites ?? []) walk(s, []);
  return lines;
}

function firstLine(text) {
  const plain = (text ?? '').replace(/\u001b\[[0-9;]*m/g, '');
  return (plain.split('\n').find((l) => l.trim()) ?? '').trim().slice(0, 300);
}
