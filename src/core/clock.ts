/** Time source injected everywhere time matters, so tests and benchmarks can control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that starts at a given instant and then flows at real speed (used for child-process tests). */
export function offsetClock(start: Date): Clock {
  const delta = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + delta) };
}

/** A manually driven clock for unit tests and simulations. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date | string) {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(at: Date | string): void {
    this.t = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
