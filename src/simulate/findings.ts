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

/**
 * One analysis's simulations: those on a topology the caller gave, keyed by that topology object
 * itself (two topologies of one size are two entries), and those on the topology the analysis
 * derives (its Node objects or the shorthand), keyed by the options.
 */
interface Simulations {
  onGiven: WeakMap<Topology, Map<string, SimReport | null>>;
  onDerived: Map<string, SimReport | null>;
}
const cache = new WeakMap<ObjectIndex, Simulations>();

/**
 * The topology an analysis simulates on: the caller's (`--simulate` with a topology), else the input's
 * Node objects, else the shorthand when the options ask for a simulation; undefined when there is none.
 */
export function simulationTopology(
  index: ObjectIndex,
  options: SimRuleOptions,
  zones: number,
): Topology | undefined {
  if (options.topology) return options.topology;
  if (index.ofKind('Node').length > 0) return topologyFromObjects(index.objects).topology;
  if (!options.simulate && options.nodes === undefined) return undefined;
  const z = options.zones ?? zones;
  return shorthandTopology({
    nodes: options.nodes ?? z * 2,
    zones: z,
    nodeCpu: options.nodeCpu ?? '4',
    nodeMemory: options.nodeMemory ?? '16Gi',
    zoneNames: zonesNamedIn(index.objects),
  });
}

/** The simulation of an analysis, or null when it has no topology to run on. */
export function simulationFor(index: ObjectIndex, options: SimRuleOptions, zones: number): SimReport | null {
  let simulations = cache.get(index);
  if (!simulations) cache.set(index, (simulations = { onGiven: new WeakMap(), onDerived: new Map() }));
  let perTopology = simulations.onDerived;
  if (options.topology) {
    const given = simulations.onGiven.get(options.topology);
    if (given) perTopology = given;
    else simulations.onGiven.set(options.topology, (perTopology = new Map()));
  }
  const key = JSON.stringify({ ...options, topology: undefined, zones });
  if (perTopology.has(key)) return perTopology.get(key)!;
  const topology = simulationTopology(index, options, zones);
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
  perTopology.set(key, report);
  return report;
}
