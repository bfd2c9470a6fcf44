// Time-boxed repetition: a measure runs as often as its budget allows — many times when it is fast, once
// when a single run already eats the budget — so a figure that takes seconds today cannot blow the bench's
// ten minutes, and one that takes milliseconds is still a median of many.

export interface RepeatOptions {
  /** Timed runs at most. */
  max: number;
  /** Starts another run only while the runs so far plus one more fit in this many milliseconds. */
  budgetMs: number;
  /** Untimed runs first (JIT, page cache); default 1. */
  warmUp?: number;
}

/**
 * The durations of the timed runs of `run(i)`, in milliseconds. The first run is a warm-up, unless it alone
 * takes half the budget: then it is the one figure (a slow measure is not run twice to be thrown away).
 */
export async function repeat(opts: RepeatOptions, run: (i: number) => unknown): Promise<number[]> {
  let i = 0;
  const timed = async () => {
    const t0 = performance.now();
    await run(i++);
    return performance.now() - t0;
  };
  const first = await timed();
  if (first * 2 > opts.budgetMs) return [first];
  let spent = first;
  for (let w = 1; w < (opts.warmUp ?? 1); w++) spent += await timed();
  const times: number[] = [];
  while (times.length < opts.max && spent + (times.at(-1) ?? first) <= opts.budgetMs) {
    const t = await timed();
    times.push(t);
    spent += t;
  }
  return times.length > 0 ? times : [first];
}
