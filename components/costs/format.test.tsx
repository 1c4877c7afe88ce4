import { describe, expect, it } from 'vitest';
import { formulaText } from '@/components/costs/format';
import { computeCostModel } from '@/lib/costs/model';
import { costModelInputsSchema, DEFAULT_MODEL_INPUTS } from '@/lib/costs/schemas';
import { createTranslator } from '@/lib/i18n/messages';

const en = createTranslator('en');
const ko = createTranslator('ko');

// Every variant of every line: both databases, both egress paths, Multi-AZ or not.
const VARIANTS = [
  DEFAULT_MODEL_INPUTS,
  costModelInputsSchema.parse({ ...DEFAULT_MODEL_INPUTS, dbKind: 'aurora-serverless', egress: 'endpoints', multiAz: false }),
  costModelInputsSchema.parse({ ...DEFAULT_MODEL_INPUTS, dbKind: 'provisioned', egress: 'nat', multiAz: true, omitted: true }),
];

describe('formulaText: the cost model’s formula column in the reader’s language', () => {
  it('fills every placeholder of every line, in English and Korean', () => {
    for (const inputs of VARIANTS) {
      const result = computeCostModel(inputs);
      for (const line of [...result.lambda.lines, ...result.fargate.lines]) {
        for (const t of [en, ko]) {
          const text = formulaText(line.formula, t);
          expect(text, `${line.id} (${t.locale})`).not.toMatch(/[{}]/);
          expect(text.length).toBeGreaterThan(0);
        }
      }
    }
  });

  it('formats numbers and prices in the locale and words the arithmetic in Korean', () => {
    expect(formulaText({ key: 'secrets', values: { count: { n: 1 }, price: { usd: 0.4 } } }, en)).toBe('1 secret × $0.4');
    expect(formulaText({ key: 'secrets', values: { count: { n: 3 }, price: { usd: 0.4 } } }, en)).toBe('3 secrets × $0.4');
    expect(formulaText({ key: 'secrets', values: { count: { n: 3 }, price: { usd: 0.4 } } }, ko)).toBe('시크릿 3개 × US$0.4');
    expect(formulaText({ key: 'alb.hours', values: { hours: { n: 730 }, price: { usd: 0.0225 } } }, ko)).toBe('730시간 × US$0.0225');
    expect(formulaText({ key: 'lambda.eni', values: {} }, ko)).toBe('Lambda VPC(Hyperplane) ENI는 요금이 없습니다');
  });
});
