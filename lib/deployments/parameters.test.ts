import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseParameterFile } from '@/lib/deployments/template-model';
import { parseTemplate } from '@/lib/deployments/template-parse';
import { maskParameters, resolvePlanParameters, parameterChanges } from '@/lib/deployments/parameters';
import { canonicalParameters, templateRevision } from '@/lib/deployments/revision';
import { planFormToInput, planInputSchema, approvalsConfigSchema } from '@/lib/deployments/schemas';

const model = parseTemplate(readFileSync(path.join(process.cwd(), 'infra/template.yaml'), 'utf8'));
const dev = parseParameterFile(readFileSync(path.join(process.cwd(), 'infra/parameters/dev.json'), 'utf8'));

describe('resolvePlanParameters (the real template)', () => {
  it('takes the parameter file and keeps only the overrides that change something', () => {
    const { values, overrides } = resolvePlanParameters(model, 'dev', dev, { ReleaseLabel: '2026.12.1', VpcCidr: dev.VpcCidr! });
    expect(values.ReleaseLabel).toBe('2026.12.1');
    expect(values.Environment).toBe('dev');
    expect(overrides).toEqual({ ReleaseLabel: '2026.12.1' });
  });

  it.each([
    [{ EgressMode: 'vpn' }, 'Parameter EgressMode="vpn" is not one of nat, proxy'],
    [{ VpcCidr: '8.8.0.0/16' }, 'does not match'],
    [{ EgressProxyPort: '70000' }, 'is above 65535'],
    [{ EgressProxyPort: 'many' }, 'is not a number'],
    [{ Nope: 'x' }, 'Unknown parameter Nope'],
    [{ Environment: 'prod' }, 'Environment is the environment you plan (dev)'],
  ])('refuses %j with a clear 422', (given, message) => {
    expect(() => resolvePlanParameters(model, 'dev', dev, given)).toThrow(
      expect.objectContaining({ code: 'UNPROCESSABLE', message: expect.stringContaining(message) }),
    );
  });

  it('masks NoEcho values', () => {
    const m = parseTemplate('Parameters:\n  Pw: { Type: String, NoEcho: true }\n  Name: { Type: String }\nResources:\n  Q: { Type: AWS::SQS::Queue }\n');
    expect(maskParameters(m, { Pw: 'hunter2', Name: 'n' })).toEqual({ Pw: '****', Name: 'n' });
  });
});

describe('templateRevision', () => {
  it('does not depend on parameter order and changes with the template or any value', () => {
    const a = templateRevision('T', { A: '1', B: '2' });
    expect(templateRevision('T', { B: '2', A: '1' })).toBe(a);
    expect(templateRevision('T ', { A: '1', B: '2' })).not.toBe(a);
    expect(templateRevision('T', { A: '1', B: '3' })).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(canonicalParameters({ b: 'x', a: 'y' })).toBe('[["a","y"],["b","x"]]');
  });
});

describe('schemas', () => {
  it('reads the plan form and refuses an unknown environment', () => {
    const input = planInputSchema.parse(planFormToInput({ environment: 'staging', 'param.ReleaseLabel': 'r2', sandboxFailResource: '' }));
    expect(input).toEqual({ environment: 'staging', parameters: { ReleaseLabel: 'r2' } });
    expect(planInputSchema.safeParse({ environment: 'qa' }).error?.issues[0]?.message).toBe('Unknown environment: pick dev, staging or prod.');
  });

  it('reads GATEHOUSE_DEPLOY_APPROVALS', () => {
    expect(approvalsConfigSchema.parse('{"prod":2,"staging":1}')).toEqual({ prod: 2, staging: 1 });
    expect(approvalsConfigSchema.safeParse('{"qa":1}').success).toBe(false);
    expect(approvalsConfigSchema.safeParse('prod=1').success).toBe(false);
    expect(approvalsConfigSchema.safeParse('{"prod":9}').success).toBe(false);
  });
});

describe('parameterChanges', () => {
  const model = {
    parameters: [{ name: 'Environment' }, { name: 'DbEngineVersion' }, { name: 'ApiCodeKey' }, { name: 'ReleaseLabel' }],
  } as unknown as Parameters<typeof parameterChanges>[0];
  it('lists every value that changes against what the stack runs, in the template’s order, and what only one side has', () => {
    expect(
      parameterChanges(
        model,
        { Environment: 'prod', DbEngineVersion: '16.3', ApiCodeKey: 'api/old.zip', ReleaseLabel: 'r-old', Dropped: 'x' },
        { Environment: 'prod', DbEngineVersion: '16.4', ApiCodeKey: 'api/new.zip', ReleaseLabel: 'r-new' },
      ),
    ).toEqual([
      { name: 'DbEngineVersion', from: '16.3', to: '16.4' },
      { name: 'ApiCodeKey', from: 'api/old.zip', to: 'api/new.zip' },
      { name: 'ReleaseLabel', from: 'r-old', to: 'r-new' },
      { name: 'Dropped', from: 'x', to: null },
    ]);
  });
  it('a created stack: every value is new', () => {
    expect(parameterChanges(model, null, { Environment: 'dev' })).toEqual([{ name: 'Environment', from: null, to: 'dev' }]);
  });
});
