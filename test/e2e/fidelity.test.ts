// The simulator against the real kube-scheduler, disruption controller and Eviction API: every case
// of test/fidelity/cases runs on the control plane of tools/cluster (kwok nodes) and in kubeha's
// simulator, and must agree (per node or per zone, as the case says; docs/fidelity.md).
// `npm run fidelity` runs this file with KUBEHA_FIDELITY_REPORT set, which regenerates the doc.
import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, loadKubeconfig, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { kubeconfigPath } from '../../tools/cluster/nodes.mjs';
import { loadCases } from '../fidelity/case.js';
import { waitNoNodes } from '../fidelity/cluster.js';
import { renderReport } from '../fidelity/report.js';
import { runCase, type CaseResult } from '../fidelity/runner.js';

const cases = loadCases();
// KUBEHA_FIDELITY_ONLY=<regex> runs the cases whose id matches (when writing a new one).
const only = process.env.KUBEHA_FIDELITY_ONLY ? new RegExp(process.env.KUBEHA_FIDELITY_ONLY) : undefined;
const results: CaseResult[] = [];

describe('fidelity: kubeha simulate against the real kube-scheduler', () => {
  let kc: Kubeconfig;
  let version = '';

  beforeAll(async () => {
    const path = kubeconfigPath();
    if (!existsSync(path)) {
      throw new Error(`no kubeconfig at ${path}: run 'npm run cluster:up' or set KUBEHA_E2E_KUBECONFIG`);
    }
    kc = loadKubeconfig(path);
    version = String((await kubeCall(kc, 'GET', '/version')).body.gitVersion);
    // Every node takes pods: the cases need the cluster's scheduler to themselves.
    await waitNoNodes(kc);
  });

  afterAll(() => {
    const out = process.env.KUBEHA_FIDELITY_REPORT;
    if (out && results.length === cases.length) {
      writeFileSync(out, renderReport(results, version));
      console.log(`fidelity: wrote ${out}`);
    }
  });

  it('has at least 20 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  for (const c of cases) {
    if (only && !only.test(c.id)) continue;
    it(`${c.id}: ${c.decidedBy}, compared per ${c.level}`, async () => {
      const r = await runCase(kc, c);
      results.push(r);
      if (c.known) {
        // An explained difference (docs/fidelity.md): it must still be there, or the note is stale.
        expect(r.agreement.differences, `${c.id} now agrees: drop its known: note`).not.toEqual([]);
      } else {
        expect(r.agreement.differences).toEqual([]);
      }
    });
  }
});
