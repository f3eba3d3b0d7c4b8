// The simulator against the real kube-scheduler, disruption controller and Eviction API: every case
// of test/fidelity/cases runs on the control plane of tools/cluster (kwok nodes) and in kubeha's
// simulator, and must agree (per node or per zone, as the case says; docs/fidelity.md).
// `npm run fidelity` runs this file with KUBEHA_FIDELITY_REPORT set, which regenerates the doc.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { loadCases } from '../fidelity/case.js';
import { waitNoNodes } from '../fidelity/cluster.js';
import { renderReport } from '../fidelity/report.js';
import { runCase, type CaseResult } from '../fidelity/runner.js';
import { e2eKubeconfig } from './support.js';

const cases = loadCases();
// KUBEHA_FIDELITY_ONLY=<regex> runs the cases whose id matches (when writing a new one).
const only = process.env.KUBEHA_FIDELITY_ONLY ? new RegExp(process.env.KUBEHA_FIDELITY_ONLY) : undefined;
const results: CaseResult[] = [];
let isolatedSeconds = 0;

describe('fidelity: kubeha simulate against the real kube-scheduler', () => {
  let kc: Kubeconfig;
  let version = '';

  beforeAll(async () => {
    kc = e2eKubeconfig().kc;
    version = String((await kubeCall(kc, 'GET', '/version')).body.gitVersion);
    // Every node takes pods: the cases need the cluster's scheduler to themselves.
    await waitNoNodes(kc);
  });

  afterAll(() => {
    // KUBEHA_FIDELITY_JSON=<file>: every result of this run, real and predicted, whatever ran.
    if (process.env.KUBEHA_FIDELITY_JSON)
      writeFileSync(process.env.KUBEHA_FIDELITY_JSON, JSON.stringify(results, null, 1));
    const out = process.env.KUBEHA_FIDELITY_REPORT;
    if (out && results.length === cases.length) {
      const order = cases.map((c) => c.id);
      results.sort((a, b) => order.indexOf(a.case.id) - order.indexOf(b.case.id));
      writeFileSync(out, renderReport(results, version, isolatedSeconds));
      console.log(`fidelity: wrote ${out}`);
    }
  });

  it('has at least 20 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  const judge = (r: CaseResult): void => {
    if (r.case.known) {
      // An explained difference (docs/fidelity.md): it must still be there, or the note is stale.
      expect(r.agreement.differences, `${r.case.id} now agrees: drop its known: note`).not.toEqual([]);
    } else {
      // On a disagreement, what kube-scheduler said about the pods it left Pending goes with it.
      const said = (r.real.outcomes ?? []).flatMap((o) =>
        (o.pendingMessages ?? []).map((m) => `kube-scheduler on ${o.workload}: ${m}`),
      );
      expect(r.agreement.differences, said.join('\n')).toEqual([]);
    }
  };
  const selectedCases = cases.filter((c) => !only || only.test(c.id));

  // One at a time, each with the cluster to itself.
  for (const c of selectedCases.filter((x) => !x.isolated)) {
    it(`${c.id}: ${c.decidedBy}, compared per ${c.level}`, async () => {
      const r = await runCase(kc, c);
      results.push(r);
      judge(r);
    });
  }

  // Isolated cases (every failure case) all at once: each on its own nodes and zones, and most of
  // their time is spent waiting for the node lifecycle controller and the tolerations.
  describe('isolated cases, run together', () => {
    const isolated = selectedCases.filter((x) => x.isolated);
    const settled = new Map<string, PromiseSettledResult<CaseResult>>();
    let wall = 0;
    beforeAll(async () => {
      const t0 = performance.now();
      const all = await Promise.allSettled(isolated.map((c) => runCase(kc, c)));
      wall = (performance.now() - t0) / 1000;
      all.forEach((r, i) => settled.set(isolated[i]!.id, r));
      console.log(`fidelity: ${isolated.length} isolated cases together in ${wall.toFixed(0)} s`);
      // Thirty cases at once on two cores sometimes starve kwok (a healthy node tainted for a few
      // seconds) or the scheduler's requeue, about one full run in four. A case that disagreed or
      // failed then runs again alone, and that run is judged: a disagreement of the simulator's own
      // shows up alone too. Each retry and what the first run said is printed.
      for (const c of isolated) {
        const first = settled.get(c.id)!;
        const disagreed =
          first.status === 'rejected' || (!c.known && first.value.agreement.differences.length > 0);
        if (!disagreed) continue;
        const said =
          first.status === 'rejected' ? String(first.reason) : first.value.agreement.differences.join('; ');
        console.log(`fidelity: ${c.id} run again alone; together it said: ${said}`);
        const [again] = await Promise.allSettled([runCase(kc, c)]);
        settled.set(c.id, again!);
      }
    }, 900_000);
    for (const c of isolated) {
      it(`${c.id}: ${c.failure ? c.failure.kind : 'placement'}, isolated`, () => {
        const r = settled.get(c.id);
        if (!r) throw new Error(`${c.id} did not run`);
        if (r.status === 'rejected') throw r.reason;
        results.push(r.value);
        judge(r.value);
      });
    }
    afterAll(() => {
      isolatedSeconds = wall;
    });
  });
});
