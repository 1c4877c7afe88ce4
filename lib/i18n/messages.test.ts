import { describe, expect, it } from 'vitest';
import { createTranslator, MESSAGES, negotiateLocale } from '@/lib/i18n/messages';

describe('negotiateLocale', () => {
  it('prefers the highest-quality supported language', () => {
    expect(negotiateLocale('ko-KR,ko;q=0.9,en-US;q=0.8')).toBe('ko');
    expect(negotiateLocale('fr-FR, en;q=0.5, ko;q=0.7')).toBe('ko');
  });
  it('falls back to English', () => {
    expect(negotiateLocale('fr, de;q=0.8')).toBe('en');
    expect(negotiateLocale(undefined)).toBe('en');
    expect(negotiateLocale('ko;q=0')).toBe('en');
  });
});

describe('createTranslator', () => {
  it('fills placeholders and translates', () => {
    expect(createTranslator('en')('home.title', { name: 'Minji' })).toBe('Welcome, Minji');
    expect(createTranslator('ko')('home.title', { name: '민지' })).toBe('민지님, 환영합니다');
  });
  it('has every English key in Korean, non-empty', () => {
    const en = Object.keys(MESSAGES.en).sort();
    expect(Object.keys(MESSAGES.ko).sort()).toEqual(en);
    for (const key of en) expect(MESSAGES.ko[key as keyof typeof MESSAGES.ko].length).toBeGreaterThan(0);
  });
});
