/**
 * A PodDisruptionBudget's status as the disruption controller writes it, read once for every
 * consumer (the live simulator's budgets, the pdb-no-disruptions-allowed rule): a count that is not
 * an integer of its API type (int32 counts, int64 generations) is absent, and whether the status describes the current spec follows the Eviction
 * API's own test.
 */
import { getAt } from './json-path.js';
import { isInt32, isInt64 } from './number-text.js';
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

// The counts are int32 and the generations int64 in the API (policy/v1): a value outside is absent.
const count = (v: unknown): number | undefined => (isInt32(v) ? v : undefined);
const generationOf = (v: unknown): number | undefined => (isInt64(v) ? v : undefined);

/** The PDB's status, or undefined when it has none (a manifest, or a PDB the controller never saw). */
export function pdbStatus(pdb: K8sObject): PdbStatus | undefined {
  const status = getAt(pdb.raw, '/status');
  if (!isJsonObject(status)) return undefined;
  const generation = generationOf(getAt(pdb.raw, '/metadata/generation'));
  const observed = generationOf(status['observedGeneration']) ?? 0;
  const counts = {
    disruptionsAllowed: count(status['disruptionsAllowed']),
    currentHealthy: count(status['currentHealthy']),
    desiredHealthy: count(status['desiredHealthy']),
    expectedPods: count(status['expectedPods']),
  };
  const present = Object.fromEntries(Object.entries(counts).filter(([, v]) => v !== undefined));
  return { ...present, current: generation === undefined || observed >= generation };
}
