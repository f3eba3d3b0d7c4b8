/**
 * Pod priority as the Priority admission plugin resolves it: the PriorityClass a pod names
 * (priorityClassName), else the globalDefault class (the lowest value when several claim it), else 0;
 * with the class's preemptionPolicy (PreemptLowerPriority unless Never). The two built-in classes
 * exist in every cluster.
 */
import { getAt } from '../model/json-path.js';
import type { JsonObject } from '../model/types.js';
import type { ObjectIndex } from '../model/object-index.js';

export interface PriorityInfo {
  /** The PriorityClass's name, or undefined for the default 0. */
  className: string | undefined;
  value: number;
  preemptNever: boolean;
}

const BUILT_IN: readonly [string, number][] = [
  ['system-cluster-critical', 2_000_000_000],
  ['system-node-critical', 2_000_001_000],
];

export class PriorityClasses {
  private readonly byName = new Map<string, PriorityInfo>();
  private readonly fallback: PriorityInfo = { className: undefined, value: 0, preemptNever: false };
  constructor(index: ObjectIndex) {
    for (const [name, value] of BUILT_IN)
      this.byName.set(name, { className: name, value, preemptNever: false });
    for (const pc of index.ofKind('PriorityClass')) {
      const value = getAt(pc.raw, '/value');
      if (typeof value !== 'number' || !Number.isInteger(value)) continue;
      const info: PriorityInfo = {
        className: pc.name,
        value,
        preemptNever: getAt(pc.raw, '/preemptionPolicy') === 'Never',
      };
      this.byName.set(pc.name, info);
      if (getAt(pc.raw, '/globalDefault') === true && (!this.default || value < this.default.value))
        this.default = info;
    }
  }

  private default: PriorityInfo | undefined;

  /**
   * A pod spec's priority. A class the input does not define is taken as 0: it may exist in the
   * cluster, where the API server would refuse pods naming a missing one.
   */
  of(podSpec: JsonObject): PriorityInfo {
    const name = getAt(podSpec, '/priorityClassName');
    if (typeof name === 'string' && name !== '') return this.byName.get(name) ?? this.fallback;
    return this.default ?? this.fallback;
  }
}
