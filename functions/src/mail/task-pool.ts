/** Tasks run with a bound on how many hold a slot at once. */
export interface TaskPool {
  /** Waits for a free slot, then starts `task` (without waiting for it to end). */
  run(task: (release: () => void) => Promise<void>): Promise<void>;
  /** Tasks holding a slot. */
  held(): number;
  /** Tasks not ended yet. */
  busy(): number;
  /** Resolves once every task started so far (and any started meanwhile) has ended. */
  idle(): Promise<void>;
}

/**
 * Runs tasks with at most `size` of them holding a slot. A task holds its slot until it calls its
 * `release` or ends; it may go on after releasing it (recording a send's result).
 */
export function taskPool(size: number): TaskPool {
  const running = new Set<Promise<void>>();
  const waiting: Array<() => void> = [];
  let held = 0;
  return {
    async run(task: (release: () => void) => Promise<void>): Promise<void> {
      while (held >= size) await new Promise<void>((resolve) => waiting.push(resolve));
      held += 1;
      let holding = true;
      const release = (): void => {
        if (!holding) return;
        holding = false;
        held -= 1;
        waiting.shift()?.();
      };
      const p: Promise<void> = task(release).finally(() => {
        release();
        running.delete(p);
      });
      running.add(p);
    },
    held: () => held,
    busy: () => running.size,
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
