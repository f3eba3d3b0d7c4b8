import { zoneOf } from '../model/live.js';
import type { K8sObject } from '../model/types.js';
import type { AnyRule, ClusterFacts } from '../rules/types.js';
import { SCANNED } from '../model/scanned-kinds.js';
import { check, type CheckResult, type RuleConfig } from './check.js';

/**
 * The rules whose `needs` could all be read: a rule that reads meaning into an absence ("no PDB
 * selects these pods") would otherwise report what it cannot know.
 */
export function rulesWithNeedsRead(rules: readonly AnyRule[], unread: (kind: string) => boolean): AnyRule[] {
  return rules.filter((r) => !(r.needs ?? []).some(unread));
}

export interface LiveCheckOptions {
  rules: readonly AnyRule[];
  ruleConfig?: Record<string, RuleConfig>;
  kubeVersion?: string;
  /** Zones the cluster spreads over; by default those of its nodes. */
  zones?: number;
}

/**
 * check() on the objects of a live read, as `kubeha scan` and serve's periodic scan run it: the rules
 * that need a kind the read could not list are left out (an add-on's kind that is not installed is
 * truly absent, so it counts as read), and the zones are the nodes' unless given.
 */
export function checkLive(
  read: { objects: readonly K8sObject[]; facts: ClusterFacts },
  options: LiveCheckOptions,
): { result: CheckResult; rules: AnyRule[] } {
  const unread = new Set(
    SCANNED.filter((t) => !t.addon && !read.facts.listed.has(t.kind)).map((t) => t.kind),
  );
  const rules = rulesWithNeedsRead(options.rules, (kind) => unread.has(kind));
  const nodeZones = new Set(
    read.objects
      .filter((o) => o.kind === 'Node')
      .map(zoneOf)
      .filter((z) => z !== undefined),
  ).size;
  const zones = options.zones ?? nodeZones;
  const result = check(read.objects, {
    rules,
    cluster: read.facts,
    ...(options.ruleConfig ? { ruleConfig: options.ruleConfig } : {}),
    ...(options.kubeVersion !== undefined ? { kubeVersion: options.kubeVersion } : {}),
    ...(zones > 0 ? { zones } : {}),
  });
  return { result, rules };
}
