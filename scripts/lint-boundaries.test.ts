import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering rule of eslint.config.mjs for app/: repositories are read, never written, from routes and pages.
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(code: string, filePath = 'app/example/actions.ts'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('app/ and the repositories', () => {
  it('refuses a write imported from a read module', async () => {
    const messages = await restrictedImports("import { recordSignIn } from '@/lib/server/db/repositories/users';\nexport const x = recordSignIn;\n");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('recordSignIn');
  });

  it('refuses a repository that is not on the read list, and the database client', async () => {
    const code = [
      "import { createDecisionStore } from '@/lib/server/db/repositories/control-plane';",
      "import { prisma } from '@/lib/server/db/connection';",
      'export const x = [createDecisionStore, prisma];',
      '',
    ].join('\n');
    expect(await restrictedImports(code)).toHaveLength(2);
  });

  it('allows reads, types and the use cases wired in lib/server', async () => {
    const code = [
      "import { listUsersForAdmin, type AdminUserRow } from '@/lib/server/db/repositories/users';",
      "import { requesterHistory } from '@/lib/server/db/repositories/requests-read';",
      "import { setUserRoles } from '@/lib/server/identity';",
      'export const x: [unknown, unknown, unknown, AdminUserRow | null] = [listUsersForAdmin, requesterHistory, setUserRoles, null];',
      '',
    ].join('\n');
    expect(await restrictedImports(code)).toEqual([]);
  });
});
