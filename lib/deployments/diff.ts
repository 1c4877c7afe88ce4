import type { RawResourceChange } from '@/lib/deployments/model';

/** What happens to a resource: CloudFormation's ResourceChange.Action. */
export type DiffAction = 'Add' | 'Modify' | 'Remove' | 'Import' | 'Dynamic';
/** Whether CloudFormation replaces the resource (a new physical resource, the old one deleted). */
export type DiffReplacement = 'True' | 'False' | 'Conditional';

/** One property (or tag, or other attribute) a change touches. */
export interface DiffProperty {
  /** Properties | Tags | Metadata | … */
  attribute: string;
  /** The property name (top level); null for Tags and other attributes without one. */
  name: string | null;
  /** JSON pointer of the changed value (e.g. /Properties/Code/S3Key), when CloudFormation gives it. */
  path: string | null;
  /** Never | Conditionally | Always */
  requiresRecreation: string | null;
  /** Static: the template says so. Dynamic: known only once another resource changed. */
  evaluation: string | null;
  /** DirectModification | ResourceReference | ResourceAttribute | ParameterReference | … */
  changeSource: string | null;
  /** The resource or parameter whose change causes this one. */
  causingEntity: string | null;
  /** Add | Modify | Remove (of the value itself). */
  change: string | null;
  before: string | null;
  after: string | null;
}

export interface DiffRow {
  logicalId: string;
  resourceType: string;
  action: DiffAction;
  replacement: DiffReplacement | null;
  physicalId: string | null;
  properties: DiffProperty[];
  /** The whole resource's properties before a Remove / after an Add, pretty-printed. */
  before: string | null;
  after: string | null;
}

export interface DiffSummary {
  add: number;
  modify: number;
  remove: number;
  /** Modify rows that certainly replace the resource. */
  replace: number;
  /** Modify rows that may replace it, depending on another resource. */
  conditional: number;
}

export interface DiffModel {
  rows: DiffRow[];
  summary: DiffSummary;
}

const ACTIONS: readonly string[] = ['Add', 'Modify', 'Remove', 'Import', 'Dynamic'];
const ORDER: Record<DiffAction, number> = { Remove: 0, Modify: 1, Dynamic: 2, Import: 3, Add: 4 };
const REPLACEMENT_ORDER: Record<string, number> = { True: 0, Conditional: 1, False: 2 };

/** Pretty JSON of a context document; the raw text when it is not JSON (it is shown, never evaluated). */
function pretty(context: string | null): string | null {
  if (context === null || context === '') return null;
  try {
    return JSON.stringify(JSON.parse(context), null, 2);
  } catch {
    return context;
  }
}

/** A scalar or JSON-encoded value as shown in the diff. */
function shown(value: string | null): string | null {
  if (value === null) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null ? JSON.stringify(parsed, null, 2) : value;
  } catch {
    return value;
  }
}

/**
 * The readable diff of a change set: one row per resource (removals and replacements first, so the
 * dangerous part is on top), each property change with its before and after values and whether it
 * forces a replacement. Details that say the same thing twice are shown once.
 */
export function buildDiff(changes: readonly RawResourceChange[]): DiffModel {
  const rows: DiffRow[] = changes.map((c) => {
    const action = (ACTIONS.includes(c.action) ? c.action : 'Modify') as DiffAction;
    const seen = new Set<string>();
    const properties: DiffProperty[] = [];
    for (const d of c.details) {
      const p: DiffProperty = {
        attribute: d.attribute ?? 'Properties',
        name: d.name,
        path: d.path,
        requiresRecreation: d.requiresRecreation,
        evaluation: d.evaluation,
        changeSource: d.changeSource,
        causingEntity: d.causingEntity,
        change: d.attributeChangeType,
        before: shown(d.beforeValue),
        after: shown(d.afterValue),
      };
      const key = JSON.stringify(p);
      if (seen.has(key)) continue;
      seen.add(key);
      properties.push(p);
    }
    const replacement = c.replacement === 'True' || c.replacement === 'False' || c.replacement === 'Conditional' ? c.replacement : null;
    return {
      logicalId: c.logicalId,
      resourceType: c.resourceType,
      action,
      replacement: action === 'Modify' ? (replacement ?? 'False') : null,
      physicalId: c.physicalId,
      properties,
      before: action === 'Remove' || action === 'Modify' ? pretty(c.beforeContext) : null,
      after: action === 'Add' || action === 'Modify' || action === 'Import' ? pretty(c.afterContext) : null,
    };
  });
  rows.sort(
    (a, b) =>
      ORDER[a.action] - ORDER[b.action] ||
      (REPLACEMENT_ORDER[a.replacement ?? 'False'] ?? 2) - (REPLACEMENT_ORDER[b.replacement ?? 'False'] ?? 2) ||
      a.logicalId.localeCompare(b.logicalId),
  );
  return { rows, summary: summarizeDiff(rows) };
}

/** Counts of a diff's rows by what happens to them. */
export function summarizeDiff(rows: readonly DiffRow[]): DiffSummary {
  return {
    add: rows.filter((r) => r.action === 'Add' || r.action === 'Import').length,
    modify: rows.filter((r) => r.action === 'Modify' || r.action === 'Dynamic').length,
    remove: rows.filter((r) => r.action === 'Remove').length,
    replace: rows.filter((r) => r.replacement === 'True').length,
    conditional: rows.filter((r) => r.replacement === 'Conditional').length,
  };
}

/** The summary in one line (history, CSV): "3 to add, 9 to modify (3 replaced), 0 to remove". */
export function describeSummary(s: DiffSummary): string {
  const replaced = s.replace + s.conditional > 0 ? ` (${s.replace} replaced${s.conditional ? `, ${s.conditional} maybe` : ''})` : '';
  return `${s.add} to add, ${s.modify} to modify${replaced}, ${s.remove} to remove`;
}
