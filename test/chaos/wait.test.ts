import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { delay, Waker } from '../../src/chaos/wait.js';

// Each wait used to add an abort listener to the run's signal and leave it: the 11th printed
// MaxListenersExceededWarning (a run of more than 10 s at one reading a second).
describe('waits that listen to the run’s AbortSignal', () => {
  const warnings: Error[] = [];
  const onWarning = (w: Error): void => void warnings.push(w);
  beforeEach(() => void process.on('warning', onWarning));
  afterEach(() => void process.off('warning', onWarning));

  it('delay and Waker.until leave no listener behind, however they end, and raise no warning', async () => {
    const abort = new AbortController();
    const waker = new Waker();
    for (let i = 0; i < 30; i++) {
      await delay(1, abort.signal);
      expect(await waker.until(() => false, 1, abort.signal)).toBe(false);
      let ready = false;
      const woken = waker.until(() => ready, 60_000, abort.signal);
      ready = true;
      waker.wake();
      expect(await woken).toBe(true);
    }
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
    const pending = [delay(60_000, abort.signal), waker.until(() => false, 60_000, abort.signal)];
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(2);
    abort.abort();
    expect(await Promise.all(pending)).toEqual([undefined, false]);
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
    await new Promise((r) => setImmediate(r));
    expect(warnings.map((w) => w.name)).toEqual([]);
  });
});
