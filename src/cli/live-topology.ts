import { ObjectIndex } from '../model/object-index.js';
import { topOwner } from '../model/owners.js';
import type { K8sObject } from '../model/types.js';
import { topologyFromObjects, type Topology } from '../simulate/index.js';

/**
 * A live cluster as a simulator topology: its Nodes, and its running Pods as background load, except
 * the pods of the workloads being simulated (the simulator places those itself; counting them as load
 * too would fill their nodes twice).
 */
export function liveTopology(live: readonly K8sObject[], simulated: readonly K8sObject[]): Topology {
  const index = new ObjectIndex(live);
  // scan --simulate simulates the live objects themselves: one index serves both.
  const ids = new Set(
    (simulated === live ? index : new ObjectIndex(simulated)).workloads.map((w) => w.object.id),
  );
  const load = live.filter((o) => o.kind === 'Node' || (o.kind === 'Pod' && !ids.has(topOwner(index, o).id)));
  return topologyFromObjects(load).topology;
}
