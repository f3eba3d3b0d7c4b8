/**
 * The bridge from the simulator to `check`: the sim-outage / sim-degraded / sim-stuck rules run one
 * simulation per analysis (cached here) and report each workload under the rule of its worst verdict.
 */
import type { ObjectIndex } from '../model/object-index.js';
import { simulate } from './index.js';
import { shorthandTopology, topologyFromObjects, zonesNamedIn } from './topology.js';
import type { ScenarioKind, SimReport, Topology } from './types.js';

export interface SimRuleOptions {
  /** Run the simulation even when the input has no Node objects (on the shorthand topology). */
  simulate?: boolean;
  /** A topology given by the caller (the CLI's --simulate). */
  topology?: Topology;
  nodes?: number;
  zones?: number;
  nodeCpu?: string;
  nodeMemory?: string;
  scenarios?: ScenarioKind[];
  worstCase?: boolean;
}

const cache = new WeakMap<ObjectIndex, Map<string, SimReport | null>>();
/** A number per topology object, so two topologies of one size never share a cached simulation. */
const topologyIds = new WeakMap<Topology, number>();
let topologiesSeen = 0;
function topologyId(t: Topology): number {
  let id = topologyIds.get(t);
  if (id === undefined) topologyIds.set(t, (id = topologiesSeen++));
  return id;
}

/** The simulation of an analysis, or null when it has no topology to run on. */
export function simulationFor(index: ObjectIndex, options: SimRuleOptions, zones: number): SimReport | null {
  const key = JSON.stringify({
    ...options,
    topology: options.topology ? topologyId(options.topology) : null,
  });
  let perIndex = cache.get(index);
  if (!perIndex) cache.set(index, (perIndex = new Map()));
  if (perIndex.has(key)) return perIndex.get(key)!;
  let topology: Topology | undefined = options.topology;
  const nodes = index.ofKind('Node');
  if (!topology && nodes.length > 0) topology = topologyFromObjects(index.objects).topology;
  if (!topology && (options.simulate || options.nodes !== undefined)) {
    const z = options.zones ?? zones;
    topology = shorthandTopology({
      nodes: options.nodes ?? z * 2,
      zones: z,
      nodeCpu: options.nodeCpu ?? '4',
      nodeMemory: options.nodeMemory ?? '16Gi',
      zoneNames: zonesNamedIn(index.objects),
    });
  }
  const report = topology
    ? simulate(
        index.objects.filter((o) => o.kind !== 'Node'),
        topology,
        {
          ...(options.scenarios ? { scenarios: options.scenarios } : {}),
          worstCase: options.worstCase ?? false,
          ...(index.targetVersion !== undefined ? { kubeVersion: index.targetVersion } : {}),
        },
      )
    : null;
  perIndex.set(key, report);
  return report;
}
