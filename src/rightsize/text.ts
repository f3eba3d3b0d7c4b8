/**
 * `kubeha rightsize -o text`: the source line, one block per workload (containers today →
 * recommended, the HPA line, the proof line, problems), the zones' headroom and a summary. Pure.
 */
import { PROOF_SCENARIOS } from './proof.js';
import {
  coresText,
  cpuText,
  memoryText,
  scenarioText,
  sourceLine,
  vpaLine,
  vpaStatusLine,
  vpaTargetText,
} from './format.js';
import type { JsonAmounts, JsonContainer, JsonHpa, JsonWorkload, RightsizeReport } from './report.js';

function change(before: string, after: string): string {
  return before === after ? `${after} (unchanged)` : `${before} → ${after}`;
}

function amountsChange(label: string, before: JsonAmounts, after: JsonAmounts): string {
  return `${label} cpu ${change(cpuText(before.cpuCores), cpuText(after.cpuCores))}, memory ${change(memoryText(before.memoryBytes), memoryText(after.memoryBytes))}`;
}

function containerLines(c: JsonContainer): string[] {
  if (!c.recommended || !c.vpa)
    return [
      `  container ${c.name}: requests cpu ${cpuText(c.current.requests.cpuCores)}, memory ${memoryText(c.current.requests.memoryBytes)}; no recommendation`,
      ...c.notes.map((n) => `    note: ${n}`),
    ];
  const v = c.vpa;
  const lines = [
    `  container ${c.name}: ${amountsChange('requests', c.current.requests, c.recommended.requests)}`,
  ];
  const limitsBefore = c.current.limits;
  const limitsAfter = c.recommended.limits;
  if ([limitsBefore, limitsAfter].some((l) => l.cpuCores !== null || l.memoryBytes !== null))
    lines.push(`    ${amountsChange('limits', limitsBefore, limitsAfter)}`);
  lines.push(
    `    VPA target ${vpaTargetText(v)}; ${v.cpuSamples} cpu samples, ${v.memoryPeaks} memory peaks, ${v.oomKills} OOM kill${v.oomKills === 1 ? '' : 's'}, confidence ${Number(v.confidence.toFixed(2))}`,
  );
  for (const n of c.notes) lines.push(`    note: ${n}`);
  return lines;
}

function hpaLines(h: JsonHpa): string[] {
  const metrics = h.metrics
    .map((m) => `${m.container ? `${m.container} ` : ''}${m.resource} ${m.targetUtilization}%`)
    .join(', ');
  const count = (b: number | null, a: number | null): string =>
    b === a ? `${a ?? '?'}` : `${b ?? '?'} → ${a ?? '?'}`;
  const lines = [
    `  HPA ${h.name} (${metrics}; min ${h.minReplicas}, max ${h.maxReplicas}, now ${h.currentReplicas}): replicas at the average load ${count(h.replicasBefore.mean, h.replicasAfter.mean)}, at the peak ${count(h.replicasBefore.peak, h.replicasAfter.peak)}`,
  ];
  if (h.otherMetrics)
    lines.push(
      `    ${h.otherMetrics} other metric${h.otherMetrics === 1 ? '' : 's'} not judged (not a cpu or memory Utilization target)`,
    );
  for (const m of h.metrics) for (const p of m.problems) lines.push(`    ${m.resource}: ${p}`);
  for (const w of h.warnings) lines.push(`    warning: ${w}`);
  return lines;
}

function proofLine(w: JsonWorkload): string[] {
  if (!w.proof) return [];
  const p = w.proof;
  const parts = PROOF_SCENARIOS.map((k) =>
    p.before[k] === p.after[k]
      ? `${scenarioText(k)} ${p.after[k]}`
      : `${scenarioText(k)} ${p.before[k]} → ${p.after[k]}`,
  );
  const lines = [`  proof: ${parts.join(', ')}${p.worse ? ' (WORSE than today)' : ''}`];
  if (p.reason && p.worse) lines.push(`    ${p.reason}`);
  return lines;
}

function workloadBlock(w: JsonWorkload): string[] {
  const where = w.file ? ` (${w.file})` : '';
  const lines = [`${w.kind} ${w.namespace}/${w.name}${where}`];
  const vpa = w.verticalPodAutoscaler;
  if (vpa) lines.push(`  ${vpaLine(vpa)}`);
  const status = vpa ? vpaStatusLine(vpa) : undefined;
  if (status) lines.push(`    ${status}`);
  const measured = w.containers.some((c) => c.vpa);
  if (measured || w.problems.length === 0) for (const c of w.containers) lines.push(...containerLines(c));
  for (const h of w.hpas) lines.push(...hpaLines(h));
  if (measured) lines.push(...proofLine(w));
  for (const p of w.problems) lines.push(`  problem: ${p}`);
  return lines;
}

export function formatText(report: RightsizeReport): string {
  const lines = [sourceLine(report.source), `limits policy: ${report.limitsPolicy}`, ''];
  for (const w of report.workloads) lines.push(...workloadBlock(w), '');
  if (report.proof) {
    lines.push(`headroom per zone (allocatable minus requests; simulated on ${report.proof.topology}):`);
    for (const z of report.proof.zones)
      lines.push(
        `  ${z.zone}: cpu ${change(coresText(z.headroomBefore.cpuCores), coresText(z.headroomAfter.cpuCores))} of ${coresText(z.allocatable.cpuCores)} cores, memory ${change(memoryText(z.headroomBefore.memoryBytes), memoryText(z.headroomAfter.memoryBytes))} of ${memoryText(z.allocatable.memoryBytes)}`,
      );
    lines.push('');
  }
  const s = report.summary;
  lines.push(
    `${s.workloads} workload${s.workloads === 1 ? '' : 's'}: ${s.changed} to resize, ${s.withProblems} with problems, ${s.worseAfter} worse after in the simulation, ${s.hpaWarnings} HPA warning${s.hpaWarnings === 1 ? '' : 's'}`,
  );
  return lines.join('\n') + '\n';
}
