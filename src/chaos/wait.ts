/**
 * Waiting that cleans up after itself. Every wait that listens to the run's AbortSignal removes its
 * listener when it ends, however it ends: a listener added per wait and left behind is what made
 * long runs print MaxListenersExceededWarning.
 */

/** Resolves after `ms`, or at once when `signal` aborts (it never rejects). */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Waits for a condition that changes only when something calls `wake()` (a watch event): no polling.
 * `until` resolves true as soon as the condition holds, false at the timeout or on abort.
 */
export class Waker {
  private readonly waiters = new Set<() => void>();

  wake(): void {
    for (const w of [...this.waiters]) w();
  }

  until(condition: () => boolean, ms: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (condition()) return resolve(true);
      if (signal?.aborted || ms <= 0) return resolve(false);
      const finish = (value: boolean): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiters.delete(check);
        resolve(value);
      };
      const check = (): void => {
        if (condition()) finish(true);
      };
      const onAbort = (): void => finish(false);
      const timer = setTimeout(() => finish(condition()), ms);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(check);
    });
  }
}
