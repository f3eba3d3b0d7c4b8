/**
 * `kubeha rightsize -o html`: one self-contained page (no script, no request), the text report's
 * content as tables, and per container two inline SVG charts (CPU, memory) of the usage history
 * against today's and the recommended request. Pure.
 */
import { usageChart } from './chart.js';
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
import { PROOF_SCENARIOS } from './proof.js';
import type { JsonWorkload, RightsizeReport } from './report.js';
import type { WorkloadPlan } from './types.js';

const escape = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}
.short{background:#fff3cd;padding:6px 10px;border:1px solid #e0c36a}.problem,.warning{color:#a40000}
.charts{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0}.legend span{margin-right:14px}
.worse{color:#a40000;font-weight:bold}`;

function workloadSection(w: JsonWorkload, plan: WorkloadPlan | undefined): string {
  const out: string[] = [
    `<section class="workload" data-workload="${escape(`${w.namespace}/${w.kind}/${w.name}`)}">`,
    `<h2>${escape(`${w.kind} ${w.namespace}/${w.name}`)}${w.file ? ` <small>${escape(w.file)}</small>` : ''}</h2>`,
  ];
  if (w.verticalPodAutoscaler) {
    const status = vpaStatusLine(w.verticalPodAutoscaler);
    out.push(
      `<p class="vpa">${escape(vpaLine(w.verticalPodAutoscaler))}${status ? `<br>${escape(status)}` : ''}</p>`,
    );
  }
  for (const p of w.problems) out.push(`<p class="problem">problem: ${escape(p)}</p>`);
  out.push(
    '<table><tr><th>container</th><th>cpu request</th><th>memory request</th><th>cpu limit</th><th>memory limit</th><th>VPA target (lower–upper)</th><th>samples</th></tr>',
  );
  for (const c of w.containers) {
    const r = c.recommended;
    const cell = (before: string, after: string | undefined): string =>
      escape(after === undefined || after === before ? before : `${before} → ${after}`);
    const v = c.vpa;
    out.push(
      `<tr data-container="${escape(c.name)}"><td>${escape(c.name)}</td>` +
        `<td>${cell(cpuText(c.current.requests.cpuCores), r ? cpuText(r.requests.cpuCores) : undefined)}</td>` +
        `<td>${cell(memoryText(c.current.requests.memoryBytes), r ? memoryText(r.requests.memoryBytes) : undefined)}</td>` +
        `<td>${cell(cpuText(c.current.limits.cpuCores), r ? cpuText(r.limits.cpuCores) : undefined)}</td>` +
        `<td>${cell(memoryText(c.current.limits.memoryBytes), r ? memoryText(r.limits.memoryBytes) : undefined)}</td>` +
        `<td>${v ? escape(vpaTargetText(v)) : 'no recommendation'}</td>` +
        `<td>${v ? escape(`${v.cpuSamples} cpu, ${v.memoryPeaks} memory peaks, ${v.oomKills} OOM`) : '—'}</td></tr>`,
    );
  }
  out.push('</table>');
  const notes = w.containers.flatMap((c) => c.notes.map((n) => `${c.name}: ${n}`));
  if (notes.length) out.push(`<ul class="notes">${notes.map((n) => `<li>${escape(n)}</li>`).join('')}</ul>`);
  for (const h of w.hpas) {
    out.push(
      `<p class="hpa">HPA ${escape(h.name)} (min ${h.minReplicas}, max ${h.maxReplicas}, now ${h.currentReplicas}): replicas at the average load ${h.replicasBefore.mean ?? '?'} → ${h.replicasAfter.mean ?? '?'}, at the peak ${h.replicasBefore.peak ?? '?'} → ${h.replicasAfter.peak ?? '?'}</p>`,
    );
    for (const warning of h.warnings) out.push(`<p class="warning">warning: ${escape(warning)}</p>`);
  }
  if (w.proof) {
    const p = w.proof;
    out.push(
      `<p class="proof${p.worse ? ' worse' : ''}">proof: ${PROOF_SCENARIOS.map((k) => escape(`${scenarioText(k)} ${p.before[k] === p.after[k] ? p.after[k] : `${p.before[k]} → ${p.after[k]}`}`)).join(', ')}${p.worse && p.reason ? ` — ${escape(p.reason)}` : ''}</p>`,
    );
  }
  const usage = plan?.usage?.containers ?? [];
  for (const c of w.containers) {
    const mine = usage.filter((u) => u.container === c.name);
    if (mine.length === 0) continue;
    const lines = (today: number | null, recommended: number | null | undefined) => [
      ...(today !== null ? [{ name: 'today' as const, value: today }] : []),
      ...(recommended !== null && recommended !== undefined
        ? [{ name: 'recommended' as const, value: recommended }]
        : []),
    ];
    out.push(
      `<div class="charts" data-charts="${escape(c.name)}">`,
      `<figure data-resource="cpu">${usageChart({
        title: `${c.name} cpu`,
        series: mine.map((u) => u.cpu),
        lines: lines(c.current.requests.cpuCores, c.recommended?.requests.cpuCores),
        format: cpuText,
      })}<figcaption>${escape(c.name)}: cpu (cores)</figcaption></figure>`,
      `<figure data-resource="memory">${usageChart({
        title: `${c.name} memory`,
        series: mine.map((u) => u.memory),
        lines: lines(c.current.requests.memoryBytes, c.recommended?.requests.memoryBytes),
        format: memoryText,
      })}<figcaption>${escape(c.name)}: memory (bytes)</figcaption></figure>`,
      '</div>',
    );
  }
  out.push('</section>');
  return out.join('\n');
}

export function formatHtml(report: RightsizeReport, plans: readonly WorkloadPlan[]): string {
  const byId = new Map(plans.map((p) => [p.target.id, p]));
  const s = report.summary;
  const zones = report.proof
    ? [
        `<h2>Headroom per zone</h2><p>allocatable minus requests, simulated on ${escape(report.proof.topology)}</p>`,
        '<table><tr><th>zone</th><th>cpu before → after (allocatable)</th><th>memory before → after (allocatable)</th></tr>',
        ...report.proof.zones.map(
          (z) =>
            `<tr data-zone="${escape(z.zone)}"><td>${escape(z.zone)}</td><td>${escape(`${coresText(z.headroomBefore.cpuCores)} → ${coresText(z.headroomAfter.cpuCores)} (${coresText(z.allocatable.cpuCores)}) cores`)}</td><td>${escape(`${memoryText(z.headroomBefore.memoryBytes)} → ${memoryText(z.headroomAfter.memoryBytes)} (${memoryText(z.allocatable.memoryBytes)})`)}</td></tr>`,
        ),
        '</table>',
      ].join('\n')
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kubeha rightsize</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>${STYLE}</style></head><body>
<h1>kubeha rightsize</h1>
<p class="${report.source.shortWindow ? 'short' : 'source'}">${escape(sourceLine(report.source))}</p>
<p>limits policy: ${escape(report.limitsPolicy)}. ${s.workloads} workloads: ${s.changed} to resize, ${s.withProblems} with problems, ${s.worseAfter} worse after in the simulation, ${s.hpaWarnings} HPA warnings.</p>
<p class="legend"><span style="color:#d62728">━ highest pod</span><span style="color:#1f77b4">━ average pod</span><span style="color:#7f7f7f">╌ today's request</span><span style="color:#2ca02c">━ recommended request</span></p>
${report.workloads.map((w) => workloadSection(w, byId.get(`${w.namespace}/${w.kind}/${w.name}`))).join('\n')}
${zones}
</body></html>
`;
}
