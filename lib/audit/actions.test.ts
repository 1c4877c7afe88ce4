import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditActionOptions } from '@/lib/audit/action-options';
import { AUDIT_ACTIONS, isAuditAction } from '@/lib/audit/actions';
import { auditEntry, isUnchanged, SYSTEM_ACTOR } from '@/lib/audit/model';
import { auditExportSchema, auditFilterSchema } from '@/lib/audit/schemas';
import { createTranslator, MESSAGES } from '@/lib/i18n/messages';

/** Every non-test TypeScript file under a directory of the repository. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap((e) => {
    const file = path.join(e.parentPath, e.name);
    return e.isFile() && /\.tsx?$/.test(e.name) && !/\.(test|spec)\.tsx?$/.test(e.name) && !file.includes('generated') ? [file] : [];
  });
}

describe('audit actions', () => {
  it('are unique, lower-case dotted names', () => {
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
    for (const a of AUDIT_ACTIONS) expect(a).toMatch(/^[a-z_]+(\.[a-z_]+)+$/);
    expect(isAuditAction('user.roles_changed')).toBe(true);
    expect(isAuditAction('request.read')).toBe(false);
  });

  it('are each written somewhere: the list holds no action nothing records', () => {
    // The compiler checks the other direction: an event whose action is not in the list does not type-check.
    const code = ['lib', 'app']
      .flatMap(sources)
      .filter((f) => !f.endsWith(path.join('audit', 'actions.ts')) && !f.includes(path.join('i18n', 'catalog')))
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    expect(AUDIT_ACTIONS.filter((a) => !code.includes(`'${a}'`))).toEqual([]);
  });

  it('each have a label in English and Korean, and no label names anything else', () => {
    for (const locale of ['en', 'ko'] as const) {
      const labels = Object.keys(MESSAGES[locale])
        .filter((k) => k.startsWith('audit.action.'))
        .map((k) => k.slice('audit.action.'.length));
      expect(labels.sort()).toEqual([...AUDIT_ACTIONS].sort());
      for (const a of AUDIT_ACTIONS) expect(MESSAGES[locale][`audit.action.${a}`].trim()).not.toBe('');
    }
  });

  it('are all offered by the audit page filter, labelled in the reader’s language', () => {
    for (const locale of ['en', 'ko'] as const) {
      const options = auditActionOptions(createTranslator(locale));
      expect(options.map((o) => o.value)).toEqual([...AUDIT_ACTIONS]);
      expect(options.length).toBeGreaterThanOrEqual(45);
    }
    expect(auditActionOptions(createTranslator('en')).find((o) => o.value === 'user.roles_changed')?.label).toBe('User roles changed');
    expect(auditActionOptions(createTranslator('ko')).find((o) => o.value === 'user.roles_changed')?.label).toBe('사용자 역할 변경됨');
  });

  it('are the only values the action filter and the export accept', () => {
    for (const schema of [auditFilterSchema, auditExportSchema]) {
      for (const action of AUDIT_ACTIONS) expect(schema.safeParse({ action }).success).toBe(true);
      const bad = schema.safeParse({ action: 'request.read' });
      expect(bad.success).toBe(false);
      expect(bad.error?.issues[0]).toMatchObject({ path: ['action'], message: 'unknown action' });
    }
  });
});

describe('auditEntry', () => {
  it('builds the event from actor, action, target and details', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    expect(
      auditEntry({ id: 'usr_a', name: 'A' }, 'user.roles_changed', { type: 'user', id: 'usr_b' }, { before: { roles: [] }, after: { roles: ['OPS'] } }, now),
    ).toEqual({
      occurredAt: now,
      actorId: 'usr_a',
      actorName: 'A',
      action: 'user.roles_changed',
      targetType: 'user',
      targetId: 'usr_b',
      environment: null,
      teamId: null,
      requestId: null,
      before: { roles: [] },
      after: { roles: ['OPS'] },
    });
    expect(auditEntry(SYSTEM_ACTOR, 'request.expired', { type: 'request', id: 'r' }, { environment: 'PROD', teamId: 't', requestId: 'r' }, now)).toMatchObject({
      actorId: null,
      actorName: 'Gatehouse (system)',
      environment: 'PROD',
      teamId: 't',
      requestId: 'r',
    });
  });

  it('names the system in one place only', () => {
    const literal = ['lib', 'app'].flatMap(sources).filter((f) => fs.readFileSync(f, 'utf8').includes(`'${SYSTEM_ACTOR.name}'`));
    expect(literal).toEqual([path.join('lib', 'audit', 'model.ts')]);
  });
});

describe('isUnchanged', () => {
  it('compares states as JSON, ignoring key order', () => {
    expect(isUnchanged({ kind: 'IAM_USER', arn: 'a', name: 'n' }, { arn: 'a', name: 'n', kind: 'IAM_USER' })).toBe(true);
    expect(isUnchanged({ roles: ['ENGINEER'] }, { roles: ['ENGINEER', 'OPS'] })).toBe(false);
    expect(isUnchanged(null, { kind: 'IAM_USER' })).toBe(false);
    expect(isUnchanged({ at: new Date('2026-01-01T00:00:00Z') }, { at: '2026-01-01T00:00:00.000Z' })).toBe(true);
  });
});
