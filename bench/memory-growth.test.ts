import { describe, expect, it } from 'vitest';
import { memoryGrowth, type MemorySample } from './support';

const at = (s: number) => Date.parse('2026-12-07T10:00:00Z') + s * 1000;
/** A sawtooth heap (collections every 30 s) on a floor that moves by `floorPerMinute` MB. */
function run(minutes: number, floorPerMinute: number): MemorySample[] {
  const out: MemorySample[] = [];
  for (let s = 0; s < minutes * 60; s += 5) {
    const floor = 100 + (floorPerMinute * s) / 60;
    out.push({ at: at(s), heapUsedMb: floor + (s % 30) * 2, rssMb: 300 + floor });
  }
  return out;
}

describe('memoryGrowth (the load bench heap-growth check)', () => {
  it('a sawtooth on a steady floor does not grow', () => {
    const g = memoryGrowth(run(10, 0))!;
    expect(g.heapGrows).toBe(false);
    expect(g.rssGrows).toBe(false);
    expect(g.heapGrowthMb).toBe(0);
    expect(g.windows).toHaveLength(9);
  });

  it('a floor rising 3 MB a minute grows (a leak), though every minute looks alike', () => {
    const g = memoryGrowth(run(10, 3))!;
    expect(g.heapGrows).toBe(true);
    expect(g.heapGrowthMb).toBeCloseTo(24, 0);
    expect(g.rssGrows).toBe(true);
  });

  it('a last window cut short (a few samples on one rise of the sawtooth) is not judged', () => {
    const xs = run(3, 0);
    // 20 s more, all high: without whole windows only, its "floor" would read as +40 MB.
    for (let s = 180; s < 200; s += 5) xs.push({ at: at(s), heapUsedMb: 140, rssMb: 400 });
    const g = memoryGrowth(xs)!;
    expect(g.windows).toHaveLength(2);
    expect(g.heapGrows).toBe(false);
  });

  it('a small drift within max(10 MB, 5 %) is not growth; a run shorter than three windows says nothing', () => {
    expect(memoryGrowth(run(10, 1))!.heapGrows).toBe(false);
    expect(memoryGrowth(run(2, 3))).toBeNull();
  });
});
