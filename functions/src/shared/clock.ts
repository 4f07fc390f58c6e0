/** The only source of "now" in domain code, so tests and benchmarks can fix time. */
export interface Clock {
  now(): Date;
}

/** The machine clock (Google's time source in Cloud Functions, agreement clause 5.11). */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that always answers the given instant; `set` moves it. */
export function fixedClock(start: Date): Clock & { set(at: Date): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (at: Date) => {
      current = new Date(at);
    },
  };
}
