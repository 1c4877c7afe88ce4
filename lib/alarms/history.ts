import { z } from 'zod';
import { ALARM_STATES, type AlarmHistoryItem, type AlarmHistoryRecord, type AlarmState, type Period } from '@/lib/alarms/model';

const stateChangeSchema = z.object({
  oldState: z.object({ stateValue: z.enum(ALARM_STATES), stateReason: z.string().optional() }).optional(),
  newState: z.object({ stateValue: z.enum(ALARM_STATES), stateReason: z.string().optional() }).optional(),
});

/** A history line with the old and new state read out of CloudWatch's HistoryData JSON (null when it has none). */
export function readHistoryItem(record: AlarmHistoryRecord): AlarmHistoryItem {
  let oldState: AlarmState | null = null;
  let newState: AlarmState | null = null;
  let reason: string | null = null;
  if (record.type === 'StateUpdate' && record.data) {
    try {
      const parsed = stateChangeSchema.safeParse(JSON.parse(record.data));
      if (parsed.success) {
        oldState = parsed.data.oldState?.stateValue ?? null;
        newState = parsed.data.newState?.stateValue ?? null;
        reason = parsed.data.newState?.stateReason ?? null;
      }
    } catch {
      // Not JSON: the summary still says what happened.
    }
  }
  return { timestamp: record.timestamp, type: record.type, summary: record.summary, oldState, newState, reason };
}

/**
 * The intervals within [from, to] during which the alarm was in ALARM, from its state changes (for
 * shading the chart). The state at `from` is the new state of the last change before it, else the
 * old state of the first change after it, else (no change known) the current state.
 */
export function alarmPeriods(history: readonly AlarmHistoryItem[], currentState: AlarmState, from: Date, to: Date): Period[] {
  const changes = history
    .filter((h) => h.newState !== null)
    .map((h) => ({ at: Date.parse(h.timestamp), oldState: h.oldState, newState: h.newState! }))
    .filter((c) => Number.isFinite(c.at))
    .sort((a, b) => a.at - b.at);
  const start = from.getTime();
  const end = to.getTime();
  if (end <= start) return [];
  const before = changes.filter((c) => c.at <= start).at(-1);
  const firstAfter = changes.find((c) => c.at > start);
  let state: AlarmState = before?.newState ?? firstAfter?.oldState ?? (firstAfter ? 'OK' : currentState);
  let openedAt: number | null = state === 'ALARM' ? start : null;
  const periods: Period[] = [];
  for (const c of changes) {
    if (c.at <= start || c.at > end) continue;
    if (c.newState === 'ALARM' && openedAt === null) openedAt = c.at;
    if (c.newState !== 'ALARM' && openedAt !== null) {
      periods.push({ from: new Date(openedAt).toISOString(), to: new Date(c.at).toISOString() });
      openedAt = null;
    }
    state = c.newState;
  }
  if (openedAt !== null && state === 'ALARM') periods.push({ from: new Date(openedAt).toISOString(), to: new Date(end).toISOString() });
  return periods;
}
