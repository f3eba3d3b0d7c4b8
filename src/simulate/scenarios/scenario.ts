/**
 * The shape every failure scenario has, and the harness that runs it. A scenario lists its
 * instances (every node for node-loss, every zone for zone-loss, …) and runs one of them on the
 * placed cluster; `simulate()` picks and shards the instances the same way for every kind, and
 * `runInstance` undoes whatever the run changed, even when it throws, so each instance starts from
 * the same placement and no instance sees another's changes.
 */
import type { SimContext } from '../context.js';
import type { ScenarioKind, ScenarioResult } from '../types.js';

export interface ScenarioInstance<T> {
  /** What `<kind>:<name>` selects (a node, a zone), or undefined when the kind takes no name. */
  name?: string;
  /** Runs only when asked for by name, not as part of its whole kind (a zone loss in a one-zone cluster). */
  onlyByName?: boolean;
  value: T;
}

export interface Scenario<T> {
  kind: Exclude<ScenarioKind, 'placement'>;
  /** Every instance, in report order; a shard keeps every count-th position of this list. */
  instances(ctx: SimContext): ScenarioInstance<T>[];
  /** One instance on the placed cluster: may change the state freely (the harness rolls it back). */
  run(ctx: SimContext, value: T): ScenarioResult;
}

/** Runs one instance of a scenario inside a journal that is rolled back in every case. */
export function runInstance<T>(ctx: SimContext, scenario: Scenario<T>, value: T): ScenarioResult {
  return ctx.inScenario(() => scenario.run(ctx, value));
}
