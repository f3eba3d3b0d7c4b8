/** docs/fidelity.md from the results of a run: a summary, then a table per case. */
import type { CaseResult } from './runner.js';
import type { WorkloadEvictions, WorkloadOutcome, WorkloadPlacement } from './observation.js';
import { failureName } from './compare.js';

function outcome(o: WorkloadOutcome | undefined): string {
  if (!o) return 'none';
  return `${o.verdict}: lowest ${o.minReady} ready (floor ${o.floor}), ${o.readyAfter} ready and ${o.pendingAfter} Pending after`;
}

function counts(record: Record<string, number>): string {
  const entries = Object.entries(record);
  return entries.length === 0 ? '—' : entries.map(([k, v]) => `${k || '(no zone)'}: ${v}`).join(', ');
}

function placement(w: WorkloadPlacement | undefined, level: 'node' | 'zone'): string {
  if (!w) return 'none';
  const where = counts(level === 'node' ? w.byNode : w.byZone);
  return w.pending > 0 ? `${where}; ${w.pending} Pending` : where;
}

function evictions(w: WorkloadEvictions | undefined, firstPass: boolean): string {
  if (!w) return 'none';
  const after = w.pendingAfter > 0 ? `; ${w.pendingAfter} Pending after` : '';
  const pass = firstPass ? `${w.allowed} allowed, ${w.refused} refused` : 'first pass not compared';
  return `${w.onNode} on the node: ${pass}${after}`;
}

const mark = (ok: boolean): string => (ok ? 'yes' : '**no**');

function caseSection(r: CaseResult): string[] {
  const c = r.case;
  const lines = [
    `### ${c.id}`,
    '',
    `${c.tests}. Decided by **${c.decidedBy}** constraints${c.decidedBy === 'score' ? ' (scores)' : ''}; compared per **${c.level}**${c.drain ? `; drains ${c.drain} through the Eviction API` : ''}${c.failure ? `; then **${failureName(c)}**` : ''}. [case](../test/fidelity/cases/${c.id}.yaml)`,
    '',
    `| workload | real kube-scheduler | kubeha simulate | same |`,
    `| --- | --- | --- | --- |`,
  ];
  const diffs = r.agreement.differences;
  const differs = (prefix: string): boolean => diffs.some((d) => d.startsWith(prefix));
  for (const w of r.real.placement) {
    const p = r.predicted.placement.find((x) => x.workload === w.workload);
    lines.push(
      `| ${w.workload} | ${placement(w, c.level)} | ${placement(p, c.level)} | ${mark(!differs(`${w.workload} `))} |`,
    );
  }
  if (c.drain && r.real.drain && r.predicted.drain) {
    const rd = r.real.drain;
    const pd = r.predicted.drain;
    const ids = new Set([...rd.workloads, ...pd.workloads].map((w) => w.workload));
    for (const id of ids) {
      const a = rd.workloads.find((w) => w.workload === id);
      const b = pd.workloads.find((w) => w.workload === id);
      lines.push(
        `| drain ${c.drain}: ${id} | ${evictions(a, c.firstPass)} | ${evictions(b, c.firstPass)} | ${mark(!differs(`${id} evictions`))} |`,
      );
    }
    lines.push(
      `| drain ${c.drain} | ${rd.blocked ? 'blocked' : 'completed'} | ${pd.blocked ? 'blocked' : 'completed'} | ${mark(rd.blocked === pd.blocked)} |`,
    );
  }
  if (c.failure && r.real.outcomes && r.predicted.outcomes) {
    const name = failureName(c);
    for (const o of r.real.outcomes) {
      const p = r.predicted.outcomes.find((x) => x.workload === o.workload);
      lines.push(
        `| ${name}: ${o.workload} | ${outcome(o)} | ${outcome(p)} | ${mark(!differs(`${o.workload} after`))} |`,
      );
    }
  }
  if (c.known) lines.push('', `**Known difference.** ${c.known}`);
  else if (diffs.length > 0) lines.push('', ...diffs.map((d) => `- ${d}`));
  // On a disagreement, what kube-scheduler said about the pods it left Pending.
  if (diffs.length > 0)
    for (const o of r.real.outcomes ?? [])
      for (const m of o.pendingMessages ?? []) lines.push(`- kube-scheduler on ${o.workload}: ${m}`);
  lines.push('');
  return lines;
}

/** Model bugs the suite found, and how they were fixed (kept here so the history stays in the doc). */
const FOUND = [
  '- **A PDB over bare Pods, or one that sets neither field** (cases 42 and 43). The simulator let',
  '  evictions through that the real Eviction API refused with 429: the disruption controller takes',
  "  the expected pod count from the pods' controllers for `maxUnavailable` and a percentage",
  '  `minAvailable` (bare Pods have none; it records an UnmanagedPods event), takes 0 when the PDB sets',
  '  neither field, and allows no disruption while that count is 0',
  '  (pkg/controller/disruption/disruption.go, getExpectedPodCount and updatePdbStatus). Fixed in',
  '  `src/simulate/disruption-budget.ts` (`disruptionBudget`), tested in',
  '  `test/simulate/disruption-budget.test.ts`.',
  '- **A StatefulSet pod left Terminating on a lost node** (cases 54 and 71). The simulator called the',
  '  workload `stuck`; the real cluster leaves no pod Pending (the StatefulSet controller cannot',
  "  recreate a pod whose name is taken, so it creates none), so by the verdicts' definition it is",
  "  judged by its ready count: degraded below its floor (54), ok at it (71). Fixed in the simulator's",
  '  loss scenarios; the reason says the node must be deleted or tainted out-of-service.',
  '- **A workload preempted by a replacement** (case 57). The real default preemption deleted the',
  '  low-priority pod on the only other node and its replacement stayed Pending (outage); the simulator',
  "  placed the high-priority replacement but did not count the victim's workload as touched (ok).",
  '  Fixed in the simulator (a preempted workload is an affected workload).',
  '- **Placement order with priorities** (cases 75 and 76). The simulator places higher priorities',
  "  first, as kube-scheduler's queue does for pods created together; the runner applied workloads in",
  '  file order, one at a time, so the real high-priority pod took the free node. The runner now',
  '  applies workloads highest priority first.',
  '- **The failure model before this suite** (node loss as the pods disappearing, no preemption):',
  '  run on the same real results, it disagreed on 7 of the 24 failure cases: 52 (a Terminating pod',
  '  still holds its zone under required anti-affinity: predicted ok and replaced, really stuck), 54',
  "  and 71 (a StatefulSet's pod is not recreated), 56 (pods that tolerate everything and Terminating",
  "  pods keep the lost node's cpu, so the replacement stays Pending), 57, 75 and 76 (preemption).",
];

export function renderReport(
  results: readonly CaseResult[],
  kubernetesVersion: string,
  isolatedSeconds = 0,
): string {
  const agree = results.filter((r) => r.agreement.agree).length;
  const hard = results.filter((r) => r.case.decidedBy === 'hard');
  const score = results.filter((r) => r.case.decidedBy === 'score');
  const drains = results.filter((r) => r.case.drain);
  const failures = results.filter((r) => r.case.failure);
  const ok = (list: readonly CaseResult[]): string =>
    `${list.filter((r) => r.agreement.agree).length} of ${list.length}`;
  const seconds = results.reduce((a, r) => a + r.seconds, 0);
  const isolated = results.filter((r) => r.case.isolated);
  const alone = results.filter((r) => !r.case.isolated).reduce((a, r) => a + r.seconds, 0);
  const out = [
    '# Fidelity: kubeha simulate against the real kube-scheduler and controllers',
    '',
    '<!-- Generated by `npm run fidelity` (test/e2e/fidelity.test.ts, test/fidelity/): do not edit. -->',
    '',
    `Each case under [test/fidelity/cases](../test/fidelity/cases) is a topology of Node objects and`,
    'some manifests. The runner creates the nodes as kwok nodes on a real control plane',
    `(tools/cluster: **Kubernetes ${kubernetesVersion}** kube-apiserver, kube-scheduler,`,
    'kube-controller-manager, built from its Go modules) and applies the manifests in a fresh namespace:',
    'Services and PDBs first, then DaemonSets (until their pods are Ready), then each workload once the',
    'one before it is placed (the simulator places workloads in input order too). A workload is placed',
    'when all its pods exist and each is bound or reported Unschedulable (PodScheduled=False) by',
    "kube-scheduler; the runner then counts where each workload's pods went. Drain cases cordon a node",
    'and evict every pod on it (DaemonSet pods aside) through the Eviction API (policy/v1 Eviction',
    'subresource), all at once as `kubectl drain` does; refused evictions are retried once the',
    'replacements are placed and Ready and the disruption controller has recounted the budgets, and a',
    'pass that lets nothing through means the drain is blocked. The same nodes and manifests then go',
    "through kubeha's simulator (`simulate()`; the drain from its `drain:<node>` scenario: evictions",
    'allowed in the first pass are the pods scheduled before it less its lowest ready count).',
    '',
    'Agreement: a case that the **hard** constraints decide must be identical per node (or per zone',
    'where they only fix zones: the case says which); a case that **scores** decide must have the same',
    'per-zone counts. Pending counts, evictions allowed and refused in the first pass, Pending pods after',
    'the drain, and whether it was blocked must always be the same. The first pass is not compared',
    'where replacements can start during the drain (`firstPass: false`): the API server retries an',
    "eviction that lost the race for the PDB's status every 500 ms, a kwok replacement is Ready sooner,",
    'so how many concurrent evictions go through at once is a matter of timing there.',
    '',
    '### Failures: node loss, zone loss, rollouts',
    '',
    'A failure case (`lose: <node>`, `loseZone: <zone>` or `rollout: <Kind>/<name>` in its header) goes',
    'on once every workload is placed and Ready. A lost node is lost the way the node lifecycle',
    'controller sees a node whose kubelet died: a ValidatingAdmissionPolicy bound for the lost nodes',
    'refuses their Lease renewals, any node status that says Ready, any pod status that makes one of',
    "their pods Ready again, and the final DELETE of their Terminating pods (the kubelet's confirmation",
    'that the containers stopped); [test/fidelity/lost-nodes.ts](../test/fidelity/lost-nodes.ts) says',
    "why it must go by content (kwok plays every node's kubelet under the same identity as the",
    "controllers). Everything else is the controllers' own doing: after its grace period (40 s on this",
    'cluster, docs/testing.md) kube-controller-manager marks the node Ready=Unknown, its pods not ready,',
    'and taints it `node.kubernetes.io/unreachable` NoSchedule and NoExecute; the taint-eviction',
    'controller deletes each pod when its toleration runs out; the deleted pods stay Terminating; the',
    'workload controllers create replacements (a StatefulSet cannot: the name is taken) and',
    'kube-scheduler places them, preempting lower priorities where it must. The cluster keeps the API',
    "server's default toleration of 300 s, so every workload of a loss case sets its own",
    '`tolerationSeconds` for the unreachable taint (or none, for ever); the case file is refused',
    'otherwise. A rollout is what `kubectl rollout restart` writes (a template annotation).',
    '',
    "A watch on the namespace's pods sees every change from the moment of the failure, so the lowest",
    'ready count (Ready and not Terminating) is exact however short the dip. The failure has settled',
    'when every lost node carries the NoExecute taint, every pod whose toleration ran out is',
    'Terminating, the longest toleration has passed, no pod changed for 3 s, and every live pod is Ready,',
    "on a lost node, or Unschedulable (and not waiting for a preemption's victims). Each workload is",
    "then judged as the simulator judges it (docs/simulate.md, Verdicts): its floor is the PDB's",
    'minimum as the disruption controller computed it (`status.desiredHealthy`), else ⌈desired / 2⌉;',
    '`stuck` when more pods are Pending than before, or the rollout did not finish; a workload the',
    'failure did not touch is `ok`. Verdict, floor, lowest ready count, ready and Pending after must',
    "equal the simulator's `node-loss:<node>`, `zone-loss:<zone>` or `rollout:<workload>` scenario.",
    '',
    'Failure cases (and cases marked `isolated: true`) run together, each on nodes and zones of its own:',
    'their nodes carry the label `fidelity.kubeha.io/case: <id>` and every pod template selects it, on',
    'both sides (on its own nodes the selector is always met, and spread constraints count only the',
    "nodes a pod's nodeSelector allows, so `nodeAffinityPolicy: Ignore` is refused there). The other",
    'cases run one at a time, with the cluster to themselves. A case deletes its pods before its nodes,',
    'and waits before it starts until no pod of an earlier run is bound to its node names (such a pod',
    'would come back with the node, requests and labels included).',
    '',
    'Thirty cases at once on two cores sometimes starve kwok (a healthy node tainted for a few seconds)',
    "or leave a replacement Unschedulable past the runner's quiet time: about one full run in four had one",
    'such case. An isolated case that disagreed or failed together runs again alone, and that run is',
    'judged (a disagreement of the simulator reproduces alone); the test prints each retry and what the',
    'first run said.',
    '',
    '## Totals',
    '',
    '| cases | agree | decided by hard constraints | decided by scores | with a drain | with a loss or rollout |',
    '| --- | --- | --- | --- | --- | --- |',
    `| ${results.length} | ${agree} | ${ok(hard)} | ${ok(score)} | ${ok(drains)} | ${ok(failures)} |`,
    '',
    `The real side of the run took ${(alone + isolatedSeconds).toFixed(0)} s (nodes, apply, wait, evictions, failures,`,
    `clean-up): ${alone.toFixed(0)} s for the cases run one at a time, then ${isolatedSeconds.toFixed(0)} s for the ${isolated.length} isolated`,
    `ones together (their own times add up to ${(seconds - alone).toFixed(0)} s).`,
    '',
    '| case | tests | decided by | compared per | agree |',
    '| --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| [${r.case.id}](#${r.case.id}) | ${r.case.tests} | ${r.case.decidedBy} | ${r.case.level} | ${r.agreement.agree ? 'yes' : r.case.known ? 'no (explained)' : '**no**'} |`,
    ),
    '',
    '## Rerun',
    '',
    '```sh',
    'npm run cluster:build   # once: the binaries (docs/testing.md)',
    'npm run cluster:up',
    'npm run fidelity        # runs every case and rewrites this file',
    'npm run cluster:down',
    '```',
    '',
    '`npm run test:e2e` runs the same cases and fails on any disagreement that is not explained here.',
    'A case is one YAML file: a `kind: FidelityCase` header (`tests`, `decidedBy: hard|score`,',
    '`level: node|zone`, optionally one of `drain: <node>`, `lose: <node>`, `loseZone: <zone>`,',
    '`rollout: Deployment/<name>` or `StatefulSet/<name>`, and `firstPass: false`, `isolated: true`,',
    '`known:` for an explained difference), the Node objects, then the manifests (no namespace;',
    'workloads select their pods by `matchLabels`; StatefulSets use `podManagementPolicy: Parallel`;',
    'PriorityClasses are cluster-wide and named uniquely). Node names are unique across cases, and an',
    "isolated case's zones are its own. `KUBEHA_FIDELITY_ONLY=<regex>` runs the cases whose name",
    'matches (the doc is then left alone); `KUBEHA_FIDELITY_JSON=<file>` writes every result of the run.',
    '',
    '## Disagreements the suite found',
    '',
    ...FOUND,
    '',
    '## Cases',
    '',
    ...results.flatMap(caseSection),
  ];
  return out.join('\n');
}
