import type { ObjectIndex } from '../../model/object-index.js';
import type { SimRuleOptions } from '../../simulate/findings.js';
import { shorthandTopology, topologyFromObjects, zonesNamedIn, type Topology } from '../../simulate/index.js';

/**
 * The topology a simulation rule runs on, chosen as the sim-* rules' simulation chooses it
 * (simulationFor): the caller's (`--simulate` with a topology), else the input's Node objects, else the
 * shorthand when the options ask for a simulation; undefined when there is none to run on.
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
