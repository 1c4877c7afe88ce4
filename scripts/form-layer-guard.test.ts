import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Keeps the one form layer and the one client call path (docs/decisions/053-form-layer.md) done:
// outside components/ui, pages and components use Field/Input/Select/Textarea/Checkbox/Radio,
// FormError and Alert, never a raw control or a hand-written alert; the browser reads our API only
// through fetchJson, calls server actions only through useActionCall (no useTransition or
// useActionState of its own) and takes the action result type from lib/action-result.ts.

type Kind = 'input' | 'select' | 'textarea' | 'role-alert' | 'fetch' | 'action-result-type' | 'own-action-call';

interface Violation {
  file: string;
  line: number;
  kind: Kind;
}

/**
 * The only places allowed to break the rule, each with its reason. An entry that no longer matches
 * anything fails the test too, so the list cannot rot.
 */
const ALLOWED: Record<string, Partial<Record<Kind, string>>> = {
  'components/fetch-json.ts': { fetch: 'the one read helper itself' },
  'components/use-action-call.ts': { 'own-action-call': 'the one mutation hook itself' },
  'components/auth-post.ts': {
    fetch: "next-auth's endpoints take a form-encoded POST with a CSRF token and answer a URL, not our JSON API (052)",
  },
};

const ROOTS = ['app', 'components'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function attribute(node: ts.JsxOpeningLikeElement, name: string): string | undefined {
  for (const prop of node.attributes.properties) {
    if (!ts.isJsxAttribute(prop) || prop.name.getText() !== name) continue;
    const init = prop.initializer;
    if (init && ts.isStringLiteral(init)) return init.text;
    if (init && ts.isJsxExpression(init) && init.expression && ts.isStringLiteralLike(init.expression)) return init.expression.text;
    return '';
  }
  return undefined;
}

/** A `{ ok: true … }` or `{ ok: false … }` type: someone declaring the action result again. */
function isOkLiteralType(node: ts.Node): boolean {
  if (!ts.isTypeLiteralNode(node)) return false;
  return node.members.some(
    (m) =>
      ts.isPropertySignature(m) &&
      m.name.getText() === 'ok' &&
      m.type !== undefined &&
      ts.isLiteralTypeNode(m.type) &&
      (m.type.literal.kind === ts.SyntaxKind.TrueKeyword || m.type.literal.kind === ts.SyntaxKind.FalseKeyword),
  );
}

/** What one file does against the rule (the file's path is relative to the repository, with `/`). */
function scan(file: string, code: string): Violation[] {
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Violation[] = [];
  const add = (node: ts.Node, kind: Kind) => found.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, kind });
  const visit = (node: ts.Node) => {
    if (ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node)) {
      const tag = node.tagName.getText();
      // A hidden input is not a control: it carries an id the reader never sees or edits.
      if ((tag === 'input' && attribute(node, 'type') !== 'hidden') || tag === 'select' || tag === 'textarea') add(node, tag);
      if (attribute(node, 'role') === 'alert') add(node, 'role-alert');
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'fetch') add(node, 'fetch');
    if (isOkLiteralType(node)) add(node, 'action-result-type');
    if (ts.isImportSpecifier(node) && ['useTransition', 'useActionState', 'useFormState'].includes((node.propertyName ?? node.name).text))
      add(node, 'own-action-call');
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function scanRepository(): Violation[] {
  return ROOTS.flatMap((root) => sourceFiles(root))
    .map((path) => relative(process.cwd(), path).split('\\').join('/'))
    .filter((file) => !file.startsWith('components/ui/'))
    .flatMap((file) => scan(file, readFileSync(file, 'utf8')));
}

describe('the form layer guard', () => {
  it('finds no raw control, hand-written alert, direct fetch, own action call or second action result type outside components/ui', () => {
    const violations = scanRepository().filter((v) => !ALLOWED[v.file]?.[v.kind]);
    expect(violations.map((v) => `${v.file}:${v.line} ${v.kind}`)).toEqual([]);
  });

  it('has no stale allow-list entry', () => {
    const seen = new Set(scanRepository().map((v) => `${v.file} ${v.kind}`));
    const stale = Object.entries(ALLOWED).flatMap(([file, kinds]) =>
      Object.keys(kinds)
        .filter((kind) => !seen.has(`${file} ${kind}`))
        .map((kind) => `${file} ${kind}`),
    );
    expect(stale).toEqual([]);
  });

  it('flags each kind it guards, and leaves the form layer and hidden inputs alone', () => {
    const code = [
      "import { Field, Input } from '@/components/ui/field'; import { useActionState, useTransition as go } from 'react';",
      'type Result = { ok: true; data: string } | { ok: false; error: string };',
      'export async function load() { return fetch("/api/v1/x"); }',
      'export function Form() {',
      '  return (',
      '    <form>',
      '      <input name="a" />',
      '      <input type="checkbox" name="b" />',
      '      <input type="hidden" name="id" value="1" />',
      '      <select name="c"><option>1</option></select>',
      '      <textarea name="d"></textarea>',
      '      <p role="alert">Refused</p>',
      '      <div role={"alert"}>Refused</div>',
      '      <Field id="e" label="E"><Input /></Field>',
      '    </form>',
      '  );',
      '}',
    ].join('\n');
    expect(scan('components/x/form.tsx', code).map((v) => `${v.line} ${v.kind}`)).toEqual([
      '1 own-action-call',
      '1 own-action-call',
      '2 action-result-type',
      '2 action-result-type',
      '3 fetch',
      '7 input',
      '8 input',
      '10 select',
      '11 textarea',
      '12 role-alert',
      '13 role-alert',
    ]);
  });
});
