/**
 * The simulator on generated small topologies (nodes in zero to three zones, taints, cordons, small
 * and full nodes, background pods) and workloads (Deployments and StatefulSets with spread
 * constraints, affinities, requests, budgets and autoscalers, junk at random paths): simulate()
 * never throws, every pod is placed or Pending, every verdict is one of the four, and no case takes
 * long.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../src/model/types.js';
import {
  simulate,
  topologyFromObjects,
  VERDICT_RANK,
  type SimOptions,
  type Topology,
} from '../../src/simulate/index.js';
import { parseManifests } from '../../src/sources/parse.js';
import {
  deployment,
  hpa,
  junk,
  node,
  pdb,
  render,
  statefulSet,
  type Json,
  type JsonMap,
} from './generators.js';
import { bounded, holds, params, timeout } from './settings.js';

const CASE_MS = 10_000;
/**
 * Replicas are kept small here: "small topologies and workloads". A count near int32's maximum is
 * the known unbounded simulation of issue 14 ("simulate stays bounded whatever the replica count"),
 * owned and tested by its fix; this suite must not hang on it.
 */
const MAX_REPLICAS = 12;

function small(value: Json): Json {
  if (typeof value === 'number') return Math.abs(value) > MAX_REPLICAS ? MAX_REPLICAS : value;
  if (Array.isArray(value)) return value.map(small);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, small(v)]));
  return value;
}

/** A workload, with junk at one path now and then; every number it holds is at most MAX_REPLICAS. */
const workload: fc.Arbitrary<JsonMap> = fc
  .tuple(
    fc.oneof({ weight: 3, arbitrary: deployment }, { weight: 2, arbitrary: statefulSet }, pdb, hpa),
    fc.option(fc.tuple(fc.constantFrom('replicas', 'selector', 'template', 'minAvailable', 'x'), junk), {
      freq: 4,
    }),
  )
  .map(([o, damage]) => {
    const spec = o['spec'];
    const damaged: JsonMap =
      damage && spec !== null && typeof spec === 'object' && !Array.isArray(spec)
        ? { ...o, spec: { ...spec, [damage[0]]: damage[1] } }
        : o;
    return small(damaged) as JsonMap;
  });

const backgroundPod = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Pod'),
  metadata: fc.record({ name: fc.constantFrom('bg-1', 'bg-2'), namespace: fc.constant('kube-system') }),
  spec: fc.record({
    nodeName: fc.constantFrom('node-1', 'node-2', 'node-9'),
    containers: fc.constant<Json>([
      { name: 'c', image: 'x', resources: { requests: { cpu: '500m', memory: '1Gi' } } },
    ]),
  }),
}) as fc.Arbitrary<JsonMap>;

function load(docs: readonly JsonMap[]): K8sObject[] {
  return docs.length
    ? parseManifests(render(docs, 'block'), 'in.yaml', { defaultNamespace: 'default' }).objects
    : [];
}

const options: fc.Arbitrary<SimOptions> = fc.record(
  {
    worstCase: fc.boolean(),
    upgradeMode: fc.constantFrom('replace' as const, 'in-place' as const),
    minAvailable: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constantFrom('50%', '100%', '0%')),
    percentageOfNodesToScore: fc.constantFrom(0, 50, 100),
    seed: fc.integer({ min: 0, max: 1000 }),
  },
  { requiredKeys: [] },
);

describe('property: simulate', () => {
  it(
    'generated topologies and workloads',
    () => {
      holds(
        'simulate',
        fc.property(
          fc.array(node, { minLength: 0, maxLength: 6 }),
          fc.array(backgroundPod, { maxLength: 2 }),
          fc.array(workload, { minLength: 1, maxLength: 5 }),
          options,
          (nodes, background, workloads, opts) => {
            const { topology } = topologyFromObjects(load([...nodes, ...background]));
            const report = bounded('simulate', CASE_MS, () => simulate(load(workloads), topology, opts));
            expectSound(report, topology);
          },
        ),
        params(120, 5_000),
      );
    },
    timeout(5_000),
  );
});

function expectSound(report: ReturnType<typeof simulate>, topology: Topology): void {
  expect(report.topology.nodes).toBe(topology.nodes.length);
  for (const p of report.placement) {
    expect(p.scheduled + p.pending, p.workload).toBe(p.desired);
    expect(
      Object.values(p.byNode).reduce((a, b) => a + b, 0),
      p.workload,
    ).toBe(p.scheduled);
  }
  for (const s of report.scenarios)
    for (const w of s.workloads) expect(Object.keys(VERDICT_RANK)).toContain(w.verdict);
  const { ok, degraded, outage, stuck, workloads } = report.summary;
  expect(ok + degraded + outage + stuck).toBe(workloads);
  expect(report.workloads).toHaveLength(workloads);
}
