import pc from 'picocolors';
import type { ChaosVerdict } from './measure.js';
import type { ExperimentPlan } from './plan.js';
import type { ExperimentResult, WorkloadResult } from './run.js';
import { describeSpreadLoss } from './spread.js';

const MARK: Record<ChaosVerdict, string> = {
  ok: '✔',
  degraded: '▲',
  stuck: '■',
  outage: '✖',
  'degraded-before': '▲',
};

function describeExperiment(plan: ExperimentPlan): string {
  return `${plan.experiment.kind} ${plan.experiment.target}`;
}

function podList(plan: ExperimentPlan): string[] {
  return [
    ...plan.pods.map((p) => `  ${p.workload}: ${p.name} on ${p.node}`),
    ...plan.skipped.map((s) => `  left alone: ${s.namespace}/${s.name} (${s.reason})`),
  ];
}

/** What an experiment would do, for a run without --yes. */
export function planText(plan: ExperimentPlan, context: string): string {
  const action = plan.experiment.kind === 'drain' ? 'evict (through their PDBs)' : 'delete at once';
  return [
    `kubeha chaos: ${describeExperiment(plan)} on ${context} would cordon ${plan.nodes.map((n) => n.name).join(', ')} and ${action} ${plan.pods.length} pod${plan.pods.length === 1 ? '' : 's'}:`,
    ...podList(plan),
    ...plan.workloads.map(
      (w) =>
        `  watch ${w.id}: ${w.readyBefore} of ${w.desired} ready, floor ${w.floor} (${w.floorSource})${w.readyBefore < w.floor ? ': already below it' : ''}`,
    ),
    'nothing was changed: add --yes to run it',
    '',
  ].join('\n');
}

/** What a run did and measured: its steps, then one line per workload (coloured when `color`). */
export function resultText(result: ExperimentResult, context: string, color = false): string {
  const c = pc.createColors(color);
  const paint: Record<ChaosVerdict, (s: string) => string> = {
    ok: c.green,
    degraded: c.yellow,
    stuck: c.magenta,
    outage: c.red,
    'degraded-before': c.yellow,
  };
  const plan = result.plan;
  const width = Math.max(8, ...result.workloads.map((w) => w.id.length));
  const verdictWidth = Math.max(8, ...result.workloads.map((w) => w.verdict.length));
  const lines = [
    c.bold(
      `kubeha chaos: ${describeExperiment(plan)} on ${context}: ${plan.nodes.length} node${plan.nodes.length === 1 ? '' : 's'}, ${plan.pods.length} pod${plan.pods.length === 1 ? '' : 's'}, ${result.workloads.length} workload${result.workloads.length === 1 ? '' : 's'} watched (${result.events} watch events)`,
    ),
    ...result.steps.map((s) => `${s.seconds.toFixed(1).padStart(7)} s  ${s.step}`),
    '',
    ...result.workloads.map(
      (w) =>
        `${paint[w.verdict](`${MARK[w.verdict]} ${w.verdict.padEnd(verdictWidth)}`)} ${w.id.padEnd(width)}  ${workloadParts(w).join('; ')}`,
    ),
  ];
  if (result.workloads.length === 0) lines.push('no workload had a pod there');
  return lines.join('\n') + '\n';
}

function workloadParts(w: WorkloadResult): string[] {
  const parts: string[] = [];
  if (w.verdict === 'degraded-before')
    parts.push(
      `${w.readyBefore} of ${w.desired} ready before the experiment (floor ${w.floor}: ${w.floorSource})`,
    );
  parts.push(
    `min ${w.minReady} of ${w.desired} ready${w.verdict === 'degraded-before' ? ' during it' : ` (floor ${w.floor}: ${w.floorSource})`}`,
  );
  if (w.secondsDown > 0) parts.push(`${w.secondsDown} s with none ready`);
  else if (w.secondsBelowFloor > 0 && w.verdict !== 'degraded-before')
    parts.push(`${w.secondsBelowFloor} s below the floor`);
  if (w.recoveredAfter !== undefined) parts.push(`back after ${w.recoveredAfter} s`);
  else if (w.verdict === 'degraded-before') parts.push('not waited for');
  else if (w.notWaited !== undefined) parts.push(`not waited for: ${w.notWaited}`);
  else parts.push(`not back to its replicas (${w.readyAfter} of ${w.desired} ready at the end)`);
  if (w.blocked) parts.push(`an eviction was refused: ${w.blocked}`);
  if (w.spreadLost.length) parts.push(`spread not back: ${describeSpreadLoss(w.spreadLost)}`);
  return parts;
}

export function resultJson(result: ExperimentResult | ExperimentPlan, toolVersion: string): string {
  const executed = 'steps' in result;
  const plan = executed ? result.plan : result;
  return (
    JSON.stringify(
      {
        version: 1,
        tool: { name: 'kubeha', version: toolVersion },
        experiment: plan.experiment,
        executed,
        nodes: plan.nodes,
        pods: plan.pods,
        skipped: plan.skipped,
        workloads: executed ? result.workloads : plan.workloads,
        ...(executed ? { steps: result.steps, events: result.events, seconds: result.seconds } : {}),
      },
      null,
      2,
    ) + '\n'
  );
}
