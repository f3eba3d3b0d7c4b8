import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/model/types.js';
import { memoryRequest, oomsFromKillTimes, oomsFromPodUpdate } from '../../src/sources/usage-oom.js';

const at = (pairs: [number, number][]) => pairs.map(([time, value]) => ({ time, value }));

describe('OOM kills from the minutes kube-state-metrics shows them at', () => {
  it('gives one kill per minute, with the memory request then (the last at or before it)', () => {
    const kills = at([
      [240, 1],
      [120, 2],
      [240, 1], // the same minute from a second series of the container (another pod uid)
    ]);
    const requests = at([
      [0, 256 * 2 ** 20],
      [200, 512 * 2 ** 20],
    ]);
    expect(oomsFromKillTimes(kills, requests)).toEqual([
      { time: 120, memoryBytes: 256 * 2 ** 20 },
      { time: 240, memoryBytes: 512 * 2 ** 20 },
    ]);
  });

  it('records memory 0 when no request was exported, as VPA does for a container without one', () => {
    expect(oomsFromKillTimes(at([[60, 1]]), [])).toEqual([{ time: 60, memoryBytes: 0 }]);
    // A pod started after the step before its kill: its request from the step after.
    expect(oomsFromKillTimes(at([[60, 1]]), at([[3600, 5]]))).toEqual([{ time: 60, memoryBytes: 5 }]);
  });
});

/** A pod as the API serves it, with one container "app". */
function pod(status: JsonObject, request = '300Mi', statusRequest?: string): JsonObject {
  return {
    metadata: { name: 'web-1', namespace: 'shop' },
    spec: { containers: [{ name: 'app', resources: { requests: { cpu: '100m', memory: request } } }] },
    status: {
      containerStatuses: [
        {
          name: 'app',
          ...status,
          ...(statusRequest ? { resources: { requests: { memory: statusRequest } } } : {}),
        },
      ],
    },
  };
}
const running = { running: { startedAt: '2026-12-04T10:00:00Z' } };
const oomKilled = { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2026-12-04T10:05:00Z' } };
const t = Date.parse('2026-12-04T10:05:00Z') / 1000;

describe("OOM kills from pod updates, as VPA's OOM observer records them", () => {
  it('records a container that went from running to running with a higher restart count and an OOM lastState', () => {
    const older = pod({ restartCount: 0, state: running }, '200Mi');
    const newer = pod({ restartCount: 1, state: running, lastState: oomKilled }, '300Mi');
    // A previous OOM happened under the older pod's resources.
    expect(oomsFromPodUpdate(older, newer, 0)).toEqual([
      { container: 'app', kill: { time: t, memoryBytes: 200 * 2 ** 20 } },
    ]);
  });

  it('records a container now terminated by OOMKilled, under the newer pod resources', () => {
    const older = pod({ restartCount: 0, state: running }, '200Mi');
    const newer = pod({ restartCount: 0, state: oomKilled }, '300Mi');
    expect(oomsFromPodUpdate(older, newer, 0)).toEqual([
      { container: 'app', kill: { time: t, memoryBytes: 300 * 2 ** 20 } },
    ]);
  });

  it('records nothing without a restart, or from Waiting to Running (CrashLoopBackOff)', () => {
    const same = pod({ restartCount: 1, state: running, lastState: oomKilled });
    expect(oomsFromPodUpdate(same, same, 0)).toEqual([]);
    const waiting = pod({
      restartCount: 1,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: oomKilled,
    });
    const back = pod({ restartCount: 2, state: running, lastState: oomKilled });
    expect(oomsFromPodUpdate(waiting, back, 0)).toEqual([]);
  });

  it('takes a kill the first sight of a pod reports only when it happened in the window', () => {
    const seen = pod({ restartCount: 3, state: running, lastState: oomKilled });
    expect(oomsFromPodUpdate(undefined, seen, t)).toHaveLength(1);
    expect(oomsFromPodUpdate(undefined, seen, t + 1)).toEqual([]);
  });

  it("reads the memory request from the container status' resources first (in-place resize), else the spec", () => {
    expect(memoryRequest(pod({}, '300Mi', '1Gi'), 'app')).toBe(2 ** 30);
    expect(memoryRequest(pod({}, '300Mi'), 'app')).toBe(300 * 2 ** 20);
    expect(memoryRequest(pod({}, '300Mi'), 'other')).toBe(0);
  });
});
