// Leader election's decisions (src/serve/leader-election.ts) on a fake clock: when a lease binds
// others, what a renewal and a takeover write, and how candidates behave over time against a store
// with the API server's optimistic concurrency (test/e2e/serve-leader.test.ts checks that store's
// 409s, and three real serve processes, against the real API server).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type Clock,
  LeaderElector,
  leaseHeld,
  type LeaseRecord,
  type LeaseSpec,
  type LeaseStore,
  microTime,
  nextStep,
  NOTHING_OBSERVED,
  observe,
  releasedSpec,
  timingsProblem,
  defaultIdentity,
  defaultNamespace,
} from '../../src/serve/leader-election.js';
import { ApiError } from '../../src/sources/cluster-client.js';

const spec = (over: Partial<LeaseSpec> = {}): LeaseSpec => ({
  holderIdentity: 'a',
  leaseDurationSeconds: 15,
  acquireTime: microTime(0),
  renewTime: microTime(0),
  leaseTransitions: 0,
  ...over,
});
const record = (over: Partial<LeaseSpec> = {}, resourceVersion = '1'): LeaseRecord => ({
  spec: spec(over),
  resourceVersion,
});

describe('the decisions', () => {
  it('writes MicroTime with six fractional digits', () => {
    expect(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 67))).toBe('2026-01-02T03:04:05.067000Z');
  });

  it('restarts the clock of a lease only when its record changed', () => {
    const seen = observe(NOTHING_OBSERVED, record(), 1000);
    expect(seen.observedAt).toBe(1000);
    // The same record read again (a new resourceVersion does not matter): still seen at 1000.
    expect(observe(seen, record({}, '2'), 5000).observedAt).toBe(1000);
    expect(observe(seen, record({ renewTime: microTime(2) }), 5000).observedAt).toBe(5000);
  });

  it("judges expiry by the local clock from when the record was seen, never by the holder's renewTime", () => {
    // The holder's clock is a day behind: its renewTime says nothing to the others.
    const skewed = observe(NOTHING_OBSERVED, record({ renewTime: microTime(-86_400_000) }), 10_000);
    expect(leaseHeld(skewed, 10_000 + 14_999)).toBe(true);
    expect(leaseHeld(skewed, 10_000 + 15_000)).toBe(false);
    // No holder (released): binds nobody.
    expect(leaseHeld(observe(NOTHING_OBSERVED, record({ holderIdentity: '' }), 10_000), 10_001)).toBe(false);
  });

  it('creates a missing lease, waits on a held one, renews its own, takes over an expired or released one', () => {
    expect(nextStep('b', NOTHING_OBSERVED, 1000, 15)).toEqual({
      action: 'create',
      spec: spec({ holderIdentity: 'b', acquireTime: microTime(1000), renewTime: microTime(1000) }),
    });
    const heldByA = observe(NOTHING_OBSERVED, record({ leaseTransitions: 3 }, '7'), 1000);
    expect(nextStep('b', heldByA, 2000, 15)).toEqual({ action: 'wait', holder: 'a' });
    // a renews: same term (acquireTime, transitions), new renewTime, over the resourceVersion read.
    expect(nextStep('a', heldByA, 2000, 15)).toEqual({
      action: 'update',
      resourceVersion: '7',
      spec: spec({ renewTime: microTime(2000), leaseTransitions: 3 }),
    });
    // Expired for b: a new term, one more transition.
    expect(nextStep('b', heldByA, 16_000, 15)).toEqual({
      action: 'update',
      resourceVersion: '7',
      spec: spec({
        holderIdentity: 'b',
        acquireTime: microTime(16_000),
        renewTime: microTime(16_000),
        leaseTransitions: 4,
      }),
    });
    const released = observe(
      NOTHING_OBSERVED,
      { spec: releasedSpec(spec({ leaseTransitions: 3 }), 1500), resourceVersion: '8' },
      1500,
    );
    expect(released.lease!.spec).toMatchObject({
      holderIdentity: '',
      leaseDurationSeconds: 1,
      leaseTransitions: 3,
    });
    expect(nextStep('b', released, 1600, 15)).toMatchObject({
      action: 'update',
      spec: { holderIdentity: 'b', leaseTransitions: 4 },
    });
  });

  it('refuses timings under which two replicas could both lead', () => {
    expect(
      timingsProblem({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 }),
    ).toBeUndefined();
    expect(
      timingsProblem({ leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 }),
    ).toMatch(/shorter/);
    expect(timingsProblem({ leaseDurationMs: 15_000, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 })).toMatch(
      /retry/,
    );
    expect(timingsProblem({ leaseDurationMs: 1_500, renewDeadlineMs: 1_000, retryPeriodMs: 100 })).toMatch(
      /whole seconds/,
    );
  });
});

/** A clock that moves only when told; sleeps end when it passes them (or at once when aborted). */
class FakeClock implements Clock {
  time = 1_000_000;
  private timers: { at: number; wake: () => void }[] = [];
  now = (): number => this.time;
  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((wake) => {
      if (signal?.aborted) return wake();
      this.timers.push({ at: this.time + ms, wake });
      signal?.addEventListener('abort', () => wake(), { once: true });
    });
  async advance(ms: number): Promise<void> {
    this.time += ms;
    for (const t of this.timers.filter((t) => t.at <= this.time)) t.wake();
    this.timers = this.timers.filter((t) => t.at > this.time);
    await new Promise((r) => setImmediate(r));
  }
}

/** One Lease with the API server's rules: create fails when it exists, an update over a stale resourceVersion fails (409). */
class MemoryLease {
  lease: LeaseRecord | undefined;
  private version = 0;
  down = false;
  hang = false;
  /** Holds creations back until it resolves (a request on the wire). */
  createGate: Promise<void> = Promise.resolve();
  store(): LeaseStore {
    const check = (): void => {
      if (this.down) throw new Error('connection refused');
    };
    return {
      description: 'ns/lease',
      get: () => Promise.resolve().then(() => (check(), this.lease && structuredClone(this.lease))),
      create: (s) =>
        this.createGate.then(() => {
          check();
          if (this.lease) throw new ApiError(409, 'already exists');
          return this.write(s);
        }),
      update: (s, rv) =>
        this.hang
          ? new Promise<LeaseRecord>(() => undefined)
          : Promise.resolve().then(() => {
              check();
              if (!this.lease || this.lease.resourceVersion !== rv) throw new ApiError(409, 'conflict');
              return this.write(s);
            }),
    };
  }
  private write(s: LeaseSpec): LeaseRecord {
    this.lease = { spec: structuredClone(s), resourceVersion: String(++this.version) };
    return structuredClone(this.lease);
  }
}

function candidate(name: string, shared: MemoryLease, clock: FakeClock) {
  const events: string[] = [];
  const elector = new LeaderElector({
    store: shared.store(),
    identity: name,
    clock,
    onStartedLeading: () => events.push('started'),
    onStoppedLeading: () => events.push('stopped'),
    log: () => undefined,
  });
  return { elector, events };
}

describe('candidates over time', () => {
  it('of three candidates one leads; the others wait while it renews', async () => {
    const clock = new FakeClock();
    const shared = new MemoryLease();
    const all = ['a', 'b', 'c'].map((n) => candidate(n, shared, clock));
    // Each tries every 2 s for a minute.
    for (let t = 0; t < 30; t++) {
      for (const c of all) await c.elector.step();
      expect(all.filter((c) => c.elector.isLeader)).toHaveLength(1);
      await clock.advance(2000);
    }
    expect(shared.lease!.spec).toMatchObject({ holderIdentity: 'a', leaseTransitions: 0 });
    expect(all.map((c) => c.events)).toEqual([['started'], [], []]);
  });

  it('two candidates that saw the same expired lease: one takes it, the other gets a conflict', async () => {
    const clock = new FakeClock();
    const shared = new MemoryLease();
    const a = candidate('a', shared, clock);
    await a.elector.step();
    const b = candidate('b', shared, clock);
    const c = candidate('c', shared, clock);
    await b.elector.step();
    await c.elector.step();
    // a dies (no more steps); b and c see no change for 15 s, then both try at the same moment.
    await clock.advance(15_000);
    await Promise.all([b.elector.step(), c.elector.step()]);
    expect([b.elector.isLeader, c.elector.isLeader].filter(Boolean)).toHaveLength(1);
    expect(shared.lease!.spec.leaseTransitions).toBe(1);
  });

  it('a follower does not take over before the lease duration has passed since it saw the last renewal', async () => {
    const clock = new FakeClock();
    const shared = new MemoryLease();
    const a = candidate('a', shared, clock);
    const b = candidate('b', shared, clock);
    await a.elector.step();
    await b.elector.step();
    // a stops renewing (killed); b tries every 2 s.
    for (let waited = 2000; waited < 15_000; waited += 2000) {
      await clock.advance(2000);
      await b.elector.step();
      expect(b.elector.isLeader, `after ${waited} ms`).toBe(false);
    }
    await clock.advance(2000);
    await b.elector.step();
    expect(b.elector.isLeader).toBe(true);
    expect(shared.lease!.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });

  it('stopping the leader releases the lease: a follower takes it at its next try', async () => {
    const clock = new FakeClock();
    const shared = new MemoryLease();
    const a = candidate('a', shared, clock);
    const b = candidate('b', shared, clock);
    await a.elector.step();
    await b.elector.step();
    await a.elector.stop();
    expect(a.events).toEqual(['started', 'stopped']);
    expect(shared.lease!.spec).toMatchObject({
      holderIdentity: '',
      leaseDurationSeconds: 1,
      leaseTransitions: 0,
    });
    await clock.advance(100);
    await b.elector.step();
    expect(b.elector.isLeader).toBe(true);
    expect(shared.lease!.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });

  it('stopped while its winning write is on the wire: it releases what it won, and never starts leading', async () => {
    const clock = new FakeClock();
    const shared = new MemoryLease();
    let send!: () => void;
    shared.createGate = new Promise((r) => (send = r));
    const a = candidate('a', shared, clock);
    a.elector.start();
    await new Promise((r) => setImmediate(r));
    const stopped = a.elector.stop();
    send();
    await stopped;
    expect(a.events).toEqual([]);
    expect(shared.lease!.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
  });

  it('a leader that cannot renew stops at the renew deadline, before any follower may take over', async () => {
    const clock = new FakeClock();
    const shared = new MemoryLease();
    const a = candidate('a', shared, clock);
    await a.elector.step();
    shared.down = true;
    for (let t = 2000; t < 10_000; t += 2000) {
      await clock.advance(2000);
      await a.elector.step();
      expect(a.elector.isLeader, `${t} ms without renewal`).toBe(true);
    }
    await clock.advance(2000);
    await a.elector.step();
    expect(a.elector.isLeader).toBe(false);
    expect(a.events).toEqual(['started', 'stopped']);
  });

  it('a renewal that hangs is not waited for past the renew deadline', async () => {
    const clock = new FakeClock();
    const shared = new MemoryLease();
    const a = candidate('a', shared, clock);
    await a.elector.step();
    shared.hang = true;
    await clock.advance(2000);
    const step = a.elector.step();
    await clock.advance(7999);
    expect(a.elector.isLeader).toBe(true);
    await clock.advance(1);
    await step;
    expect(a.elector.isLeader).toBe(false);
  });
});

describe("a replica's name and namespace", () => {
  it('come from the downward API, else the service account file, else the kubeconfig', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeha-ns-'));
    const file = join(dir, 'namespace');
    writeFileSync(file, 'from-file\n');
    expect(await defaultNamespace('from-kubeconfig', { POD_NAMESPACE: 'from-env' }, file)).toBe('from-env');
    expect(await defaultNamespace('from-kubeconfig', {}, file)).toBe('from-file');
    expect(await defaultNamespace('from-kubeconfig', {}, join(dir, 'absent'))).toBe('from-kubeconfig');
    expect(await defaultNamespace('', {}, join(dir, 'absent'))).toBe('default');
    expect(defaultIdentity({ POD_NAME: 'serve-0' })).toBe('serve-0');
    expect(defaultIdentity({})).toBe(`${hostname()}_${process.pid}`);
  });
});
