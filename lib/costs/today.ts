/** One day of the overview's daily series (lib/costs/billed.ts). */
interface Day {
  date: string;
  estimated: boolean;
  values: Record<string, number>;
}

export interface TodayAgainstUsual {
  date: string;
  /** Billed so far today: the day is not over, so this grows until midnight UTC. */
  today: number;
  /** The average of the full days before today in the series (at most `window`); null when there is none. */
  usual: number | null;
  /** How many full days `usual` averages. */
  days: number;
  /** today / usual (0.5: half a usual day so far); null without a usual. */
  ratio: number | null;
}

const total = (d: Day) => Object.values(d.values).reduce((sum, v) => sum + v, 0);

/**
 * Today's cost so far against a usual day: the average of up to `window` full days just before
 * today. The series holds this month only, so early in a month fewer days are averaged (and on
 * the 1st none): the count is returned so the page says exactly what it compares with. Today is
 * partial, so it is given as a share of a usual day, never as a change.
 */
export function todayAgainstUsual(daily: readonly Day[], today: string, window = 7): TodayAgainstUsual {
  const day = daily.find((d) => d.date === today);
  const before = daily.filter((d) => d.date < today).slice(-window);
  const now = day ? total(day) : 0;
  const usual = before.length ? before.reduce((sum, d) => sum + total(d), 0) / before.length : null;
  return { date: today, today: now, usual, days: before.length, ratio: usual && usual > 0 ? now / usual : null };
}
