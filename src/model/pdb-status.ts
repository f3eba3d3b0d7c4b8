/**
 * A PodDisruptionBudget's status as the disruption controller writes it, read once for every
 * consumer (the live simulator's budgets, the pdb-no-disruptions-allowed rule): a count that is not
 * a whole number is absent, and whether the status describes the current spec follows the Eviction
 * API's own test.
 */
import { getAt } from './json-path.js';
import { isJsonObject, type K8sObject } from './types.js';

export interface PdbStatus {
  readonly disruptionsAllowed?: number;
  readonly currentHealthy?: number;
  readonly desiredHealthy?: number;
  readonly expectedPods?: number;
  /**
   * False when the controller has not observed the PDB's current spec: eviction.go compares
   * `status.observedGeneration < metadata.generation` on the typed struct, where a missing
   * observedGeneration is 0, and refuses every eviction (429) until the controller catches up. An
   * object without a generation (a manifest, not a cluster read) has nothing to be stale against.
   */
  readonly current: boolean;
}

function whole(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

/** The PDB's status, or undefined when it has none (a manifest, or a PDB the controller never saw). */
export function pdbStatus(pdb: K8sObject): PdbStatus | undefined {
  const status = getAt(pdb.raw, '/status');
  if (!isJsonObject(status)) return undefined;
  const generation = whole(getAt(pdb.raw, '/metadata/generation'));
  const observed = whole(status['observedGeneration']) ?? 0;
  const counts = {
    disruptionsAllowed: whole(status['disruptionsAllowed']),
    currentHealthy: whole(status['currentHealthy']),
    desiredHealthy: whole(status['desiredHealthy']),
    expectedPods: whole(status['expectedPods']),
  };
  const present = Object.fromEntries(Object.entries(counts).filter(([, v]) => v !== undefined));
  return { ...present, current: generation === undefined || observed >= generation };
}
