import type { Labels } from '../../model/labels.js';
import type { NodeSelectorRequirement, NodeSelectorTerm, PodSchedSpec } from '../pod-spec.js';
import { defaultNormalizeScore } from './normalize.js';

export const REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  switch (r.operator) {
    case 'In':
      return value !== undefined && r.values.includes(value);
    case 'NotIn':
      return value === undefined || !r.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || r.values.length !== 1) return false;
      const a = Number(value);
      const b = Number(r.values[0]);
      if (!Number.isInteger(a) || !Number.isInteger(b)) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
  }
}

/** A node selector term: every expression and field matches; an empty term matches nothing. */
export function termMatches(term: NodeSelectorTerm, labels: Labels, nodeName: string): boolean {
  if (term.matchExpressions.length === 0 && term.matchFields.length === 0) return false;
  for (const r of term.matchExpressions) if (!requirementMatches(r, labels[r.key])) return false;
  for (const r of term.matchFields) {
    if (r.key !== 'metadata.name' || !requirementMatches(r, nodeName)) return false;
  }
  return true;
}

/** nodeSelector and required node affinity (terms are ORed), as GetRequiredNodeAffinity(pod).Match(node). */
export function matchesRequiredNodeAffinity(
  spec: Pick<PodSchedSpec, 'nodeSelector' | 'requiredNodeTerms'>,
  labels: Labels,
  nodeName: string,
): boolean {
  for (const [k, v] of Object.entries(spec.nodeSelector)) if (labels[k] !== v) return false;
  if (spec.requiredNodeTerms === undefined) return true;
  return spec.requiredNodeTerms.some((t) => termMatches(t, labels, nodeName));
}

export function filterNodeAffinity(
  spec: Pick<PodSchedSpec, 'nodeSelector' | 'requiredNodeTerms'>,
  labels: Labels,
  nodeName: string,
): string | null {
  return matchesRequiredNodeAffinity(spec, labels, nodeName) ? null : REASON_NODE_AFFINITY;
}

/** Score: the sum of the weights of the preferred terms the node matches. */
export function scoreNodeAffinity(
  spec: Pick<PodSchedSpec, 'preferredNodeTerms'>,
  labels: Labels,
  nodeName: string,
): number {
  let s = 0;
  for (const p of spec.preferredNodeTerms)
    if (p.weight !== 0 && termMatches(p.term, labels, nodeName)) s += p.weight;
  return s;
}

export function normalizeNodeAffinityScores(scores: number[] | Float64Array, length = scores.length): void {
  defaultNormalizeScore(scores, false, 100, length);
}
