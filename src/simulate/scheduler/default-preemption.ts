/**
 * DefaultPreemption (kube-scheduler's PostFilter): when a pod fits no node, find the node where
 * deleting lower-priority pods makes it fit, with the fewest and least important victims.
 *
 * - Eligibility: a pod with preemptionPolicy Never does not preempt.
 * - Candidates: the nodes whose filter failure removing pods can resolve (isResolvable: resources,
 *   ports, spread skew, anti-affinity), tried from a random offset until at least one candidate
 *   violates no PDB and max(100, 10% of the nodes) candidates were found (DryRunPreemption).
 * - Victims on a node (SelectVictimsOnNode): every pod of lower priority is removed; if the pod
 *   still does not fit, the node is no candidate. Then the removed pods, most important first
 *   (higher priority, then earlier start), are added back one by one — those whose PDB would be
 *   violated first — and each one that leaves the pod fitting stays (is reprieved).
 * - Choice (pickOneNodeForPreemption): fewest PDB violations, then the lowest highest victim
 *   priority, then the lowest sum of priorities, then the fewest victims, then the latest start of
 *   the most important victims, then the first candidate.
 * The dry runs bind and unbind the pods on the real state, without journal, and restore it exactly.
 */
import type { ClusterState, PodClass, SimPod } from '../cluster-state.js';
import { FITS, isResolvable } from './filter-status.js';
import { filterEveryNode, filterOneNode } from './framework.js';

/** What the scheduler reads of the PDBs (its PDB lister): the budgets selecting a pod, and their room. */
export interface DisruptionBudgets {
  /** The budgets (indices) that select a pod. */
  of(pod: SimPod): readonly number[];
  /** status.disruptionsAllowed of a budget. */
  allowed(budget: number): number;
}

export interface PreemptionPlan {
  node: number;
  /** The pods to delete, most important first. */
  victims: SimPod[];
  /** Victims whose deletion violates a PDB. */
  violations: number;
}

const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
const MIN_CANDIDATE_NODES_ABSOLUTE = 100;
/** Added to each victim's priority in the sum, so that negative priorities still add up (MaxInt32 + 1). */
const PRIORITY_OFFSET = 2 ** 31;

/** More important first: higher priority, then the earlier start (pods are created in start order). */
function moreImportantFirst(a: SimPod, b: SimPod): number {
  return b.cls.priority - a.cls.priority || a.id - b.id;
}

/** How many candidates the dry run looks for (GetOffsetAndNumCandidates). */
export function numCandidates(potentialNodes: number): number {
  const n = Math.trunc((potentialNodes * MIN_CANDIDATE_NODES_PERCENTAGE) / 100);
  return Math.min(potentialNodes, Math.max(n, MIN_CANDIDATE_NODES_ABSOLUTE));
}

/** The victims preempting on node n needs, or undefined when removing every lower-priority pod is not enough. */
export function selectVictimsOnNode(
  state: ClusterState,
  cls: PodClass,
  n: number,
  budgets: DisruptionBudgets,
): PreemptionPlan | undefined {
  const saved = state.podsOn[n]!.slice();
  // Terminating pods are already being deleted: removing them again frees nothing sooner.
  const lower = saved.filter((p) => !p.terminating && p.cls.priority < cls.priority);
  if (lower.length === 0) return undefined;
  for (const p of lower) state.unbind(p, false);
  const restore = (): void => {
    for (const p of lower) if (p.node < 0) state.bind(p, n, false);
    state.podsOn[n] = saved;
  };
  if (filterOneNode(state, cls, n) !== FITS) {
    restore();
    return undefined;
  }
  lower.sort(moreImportantFirst);
  // filterPodsWithPDBViolation: each pod takes one disruption from every budget selecting it.
  const left = new Map<number, number>();
  const violating: SimPod[] = [];
  const free: SimPod[] = [];
  for (const p of lower) {
    let violates = false;
    for (const b of budgets.of(p)) {
      const room = (left.get(b) ?? budgets.allowed(b)) - 1;
      left.set(b, room);
      if (room < 0) violates = true;
    }
    (violates ? violating : free).push(p);
  }
  const victims: SimPod[] = [];
  let violations = 0;
  const reprieve = (p: SimPod, violates: boolean): void => {
    state.bind(p, n, false);
    if (filterOneNode(state, cls, n) === FITS) return;
    state.unbind(p, false);
    victims.push(p);
    if (violates) violations++;
  };
  for (const p of violating) reprieve(p, true);
  for (const p of free) reprieve(p, false);
  restore();
  return { node: n, victims, violations };
}

function highest(victims: readonly SimPod[]): number {
  return victims.length ? victims[0]!.cls.priority : -Infinity;
}

function prioritySum(victims: readonly SimPod[]): number {
  let sum = 0;
  for (const v of victims) sum += v.cls.priority + PRIORITY_OFFSET;
  return sum;
}

/** The start of the earliest-started victim of the highest priority (pod ids are in start order). */
function earliestOfHighest(victims: readonly SimPod[]): number {
  const top = highest(victims);
  let earliest = Infinity;
  for (const v of victims) if (v.cls.priority === top && v.id < earliest) earliest = v.id;
  return earliest;
}

/** pickOneNodeForPreemption: whether candidate a beats b. */
function better(a: PreemptionPlan, b: PreemptionPlan): boolean {
  if (a.violations !== b.violations) return a.violations < b.violations;
  if (highest(a.victims) !== highest(b.victims)) return highest(a.victims) < highest(b.victims);
  if (prioritySum(a.victims) !== prioritySum(b.victims))
    return prioritySum(a.victims) < prioritySum(b.victims);
  if (a.victims.length !== b.victims.length) return a.victims.length < b.victims.length;
  return earliestOfHighest(a.victims) > earliestOfHighest(b.victims);
}

/** The preemption for a pod of cls that fitted no node, or undefined when none helps. */
export function preempt(
  state: ClusterState,
  cls: PodClass,
  budgets: DisruptionBudgets,
): PreemptionPlan | undefined {
  if (cls.preemptNever) return undefined;
  const potential = filterEveryNode(state, cls)
    .filter((s) => isResolvable(s.code))
    .map((s) => s.node);
  if (potential.length === 0) return undefined;
  const offset = state.rng.int(potential.length);
  const wanted = numCandidates(potential.length);
  const candidates: PreemptionPlan[] = [];
  let nonViolating = 0;
  for (let i = 0; i < potential.length; i++) {
    const plan = selectVictimsOnNode(state, cls, potential[(offset + i) % potential.length]!, budgets);
    // A node that needs no victim is no candidate (DryRunPreemption expects at least one).
    if (!plan || plan.victims.length === 0) continue;
    candidates.push(plan);
    if (plan.violations === 0) nonViolating++;
    if (nonViolating > 0 && candidates.length >= wanted) break;
  }
  let best: PreemptionPlan | undefined;
  for (const c of candidates) if (!best || better(c, best)) best = c;
  return best;
}
