import { describe, expect, it } from 'vitest';
import { todayAgainstUsual } from '@/lib/costs/today';

const day = (date: string, ...amounts: number[]) => ({ date, estimated: false, values: Object.fromEntries(amounts.map((a, i) => [`s${i}`, a])) });

describe('todayAgainstUsual', () => {
  it('compares today so far with the average of the previous 7 full days, never the partial day itself', () => {
    const daily = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => day(`2026-12-0${n}`, n * 10, n));
    const r = todayAgainstUsual([...daily, day('2026-12-10', 20, 2)], '2026-12-10');
    // Days 3..9: (33 + 44 + ... + 99) / 7 = 66.
    expect(r).toEqual({ date: '2026-12-10', today: 22, usual: 66, days: 7, ratio: 22 / 66 });
  });

  it('early in the month averages the days there are, and says how many', () => {
    const r = todayAgainstUsual([day('2026-12-01', 10), day('2026-12-02', 30), day('2026-12-03', 5)], '2026-12-03');
    expect(r).toMatchObject({ today: 5, usual: 20, days: 2, ratio: 0.25 });
  });

  it('on the 1st there is nothing to compare with; a day without data is zero so far', () => {
    expect(todayAgainstUsual([day('2026-12-01', 3)], '2026-12-01')).toEqual({ date: '2026-12-01', today: 3, usual: null, days: 0, ratio: null });
    expect(todayAgainstUsual([day('2026-12-01', 3)], '2026-12-02')).toMatchObject({ today: 0, usual: 3, days: 1, ratio: 0 });
  });
});
