/**
 * Runs fidelity cases: each on the real control plane (cluster.ts) and in kubeha's simulator
 * (predict.ts), compared (compare.ts). One case at a time: the cases share the cluster's scheduler.
 */
import type { Kubeconfig } from '../../tools/cluster/kube.mjs';
import type { FidelityCase } from './case.js';
import { observe } from './cluster.js';
import { compare, type Agreement } from './compare.js';
import type { Observation } from './observation.js';
import { predict } from './predict.js';

export interface CaseResult {
  case: FidelityCase;
  real: Observation;
  predicted: Observation;
  agreement: Agreement;
  /** Wall time of the real run (nodes, apply, wait, evictions, clean-up). */
  seconds: number;
}

/** A fresh namespace name per run (a DNS label). */
export function namespaceFor(c: FidelityCase): string {
  const suffix = Math.random().toString(36).slice(2, 7);
  return `fid-${c.id}`.slice(0, 56).replace(/-+$/, '') + `-${suffix}`;
}

export async function runCase(kc: Kubeconfig, c: FidelityCase): Promise<CaseResult> {
  const ns = namespaceFor(c);
  const t0 = performance.now();
  const real = await observe(kc, c, ns);
  const seconds = (performance.now() - t0) / 1000;
  const predicted = predict(c, ns);
  return { case: c, real, predicted, agreement: compare(c, real, predicted), seconds };
}
