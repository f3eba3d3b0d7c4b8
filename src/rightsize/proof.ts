/**
 * The proof that resized workloads still survive: the simulator (src/simulate) runs on the objects
 * as they are and with the new requests, on the same topology, and each resized workload gets its
 * verdicts for placement, node loss, zone loss and a drain, before and after; each zone its
 * headroom (allocatable minus requests, after the initial placement) before and after. Pure.
 */
import type { K8sObject } from '../model/types.js';
import {
  simulate,
  VERDICT_RANK,
  type ScenarioKind,
  type SimOptions,
  type SimReport,
  type Topology,
  type Verdict,
} from '../simulate/index.js';

/** The scenarios the proof runs: what a smaller request can break. */
export const PROOF_SCENARIOS = [
  'placement',
  'node-loss',
  'zone-loss',
  'drain',
] as const satisfies readonly ScenarioKind[];
export type ProofScenario = (typeof PROOF_SCENARIOS)[number];

export type ScenarioVerdicts = Readonly<Record<ProofScenario, Verdict>>;

export interface WorkloadProof {
  /** `namespace/Kind/name`. */
  readonly workload: string;
  readonly before: ScenarioVerdicts;
  readonly after: ScenarioVerdicts;
  /** The worst scenario after, with the simulator's reason, when it is not ok. */
  readonly reason?: string;
  /** Survives fewer failures after than before. */
  readonly worse: boolean;
}

export interface Headroom {
  /** Millicores. */
  readonly cpu: number;
  readonly memory: number;
}

export interface ZoneHeadroom {
  readonly zone: string;
  readonly allocatable: Headroom;
  readonly before: Headroom;
  readonly after: Headroom;
}

export interface Proof {
  readonly nodes: number;
  readonly zones: readonly ZoneHeadroom[];
  readonly workloads: readonly WorkloadProof[];
}

function verdicts(report: SimReport, workload: string): { verdicts: ScenarioVerdicts; reason?: string } {
  const out: Record<ProofScenario, Verdict> = {
    placement: 'ok',
    'node-loss': 'ok',
    'zone-loss': 'ok',
    drain: 'ok',
  };
  let worst: { verdict: Verdict; reason: string } | undefined;
  for (const s of report.scenarios) {
    if (!(PROOF_SCENARIOS as readonly string[]).includes(s.kind)) continue;
    const o = s.workloads.find((w) => w.workload === workload);
    if (!o) continue;
    const kind = s.kind as ProofScenario;
    if (VERDICT_RANK[o.verdict] > VERDICT_RANK[out[kind]]) out[kind] = o.verdict;
    if (o.verdict !== 'ok' && (!worst || VERDICT_RANK[o.verdict] > VERDICT_RANK[worst.verdict]))
      worst = { verdict: o.verdict, reason: `${s.id}: ${o.reason}` };
  }
  return { verdicts: out, ...(worst ? { reason: worst.reason } : {}) };
}

function headroom(report: SimReport): Map<string, { allocatable: Headroom; free: Headroom }> {
  return new Map(
    report.map.map((z) => {
      const sum = (f: (n: (typeof z.nodes)[number]) => number): number =>
        z.nodes.reduce((a, n) => a + f(n), 0);
      const allocatable = { cpu: sum((n) => n.cpu), memory: sum((n) => n.memory) };
      return [
        z.zone,
        {
          allocatable,
          free: {
            cpu: allocatable.cpu - sum((n) => n.usedCpu),
            memory: allocatable.memory - sum((n) => n.usedMemory),
          },
        },
      ];
    }),
  );
}

/**
 * Simulates `objects` and `resized` (the same objects, the resized workloads replaced by their
 * resized copies, same ids) on `topology`. A live topology's placement of the workloads is left out
 * (their pods hold today's requests): both runs place every workload from its template, so the two
 * differ only in the requests.
 */
export function prove(
  objects: readonly K8sObject[],
  resized: readonly K8sObject[],
  workloads: readonly string[],
  topology: Topology,
  options: Omit<SimOptions, 'scenarios' | 'shard'> = {},
): Proof {
  const { live: _live, ...placedFromScratch } = topology;
  const run = (input: readonly K8sObject[]): SimReport =>
    simulate(input, placedFromScratch, { ...options, scenarios: PROOF_SCENARIOS });
  const before = run(objects);
  const after = run(resized);
  const roomBefore = headroom(before);
  const roomAfter = headroom(after);
  return {
    nodes: topology.nodes.length,
    zones: [...roomBefore].map(([zone, b]) => ({
      zone,
      allocatable: b.allocatable,
      before: b.free,
      after: roomAfter.get(zone)?.free ?? b.free,
    })),
    workloads: workloads.map((workload) => {
      const b = verdicts(before, workload);
      const a = verdicts(after, workload);
      const worse = PROOF_SCENARIOS.some((k) => VERDICT_RANK[a.verdicts[k]] > VERDICT_RANK[b.verdicts[k]]);
      return {
        workload,
        before: b.verdicts,
        after: a.verdicts,
        ...(a.reason ? { reason: a.reason } : {}),
        worse,
      };
    }),
  };
}
