import type { K8sObject } from '../model/types.js';
import { liveTopology as fromLiveObjects, type Topology } from '../simulate/index.js';

/**
 * A live cluster as a simulator topology (see src/simulate/live-placement.ts): its Nodes, the simulated
 * workloads' pods where they run, every other running Pod as background load, and the PDBs' status.
 */
export function liveTopology(live: readonly K8sObject[], simulated: readonly K8sObject[]): Topology {
  return fromLiveObjects(live, simulated);
}
