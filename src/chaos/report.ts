import type { ExperimentPlan } from './plan.js';
import type { ExperimentResult, WorkloadResult } from './run.js';

const MARK: Record<WorkloadResult['verdict'], string> = { ok: '✔', degraded: '▲', stuck: '■', outage: '✖' };

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
      (w) => `  watch ${w.id}: ${w.readyBefore} of ${w.desired} ready, floor ${w.floor} (${w.floorSource})`,
    ),
    'nothing was changed: add --yes to run it',
    '',
  ].join('\n');
}

export function resultText(result: ExperimentResult, context: string): string {
  const plan = result.plan;
  const width = Math.max(8, ...result.workloads.map((w) => w.id.length));
  const lines = [
    `kubeha chaos: ${describeExperiment(plan)} on ${context}: ${plan.nodes.length} node${plan.nodes.length === 1 ? '' : 's'}, ${plan.pods.length} pod${plan.pods.length === 1 ? '' : 's'}, ${result.workloads.length} workload${result.workloads.length === 1 ? '' : 's'} watched (${result.readings} readings)`,
    ...result.steps.map((s) => `${s.seconds.toFixed(1).padStart(7)} s  ${s.step}`),
    '',
    ...result.workloads.map((w) => {
      const parts = [`min ${w.minReady} of ${w.desired} ready (floor ${w.floor}: ${w.floorSource})`];
      if (w.secondsDown > 0) parts.push(`${w.secondsDown} s with none ready`);
      else if (w.secondsBelowFloor > 0) parts.push(`${w.secondsBelowFloor} s below the floor`);
      parts.push(
        w.recoveredAfter !== undefined ? `back after ${w.recoveredAfter} s` : 'not back to its replicas',
      );
      if (w.blocked) parts.push(`an eviction was refused: ${w.blocked}`);
      return `${MARK[w.verdict]} ${w.verdict.padEnd(8)} ${w.id.padEnd(width)}  ${parts.join('; ')}`;
    }),
  ];
  if (result.workloads.length === 0) lines.push('no workload had a pod there');
  return lines.join('\n') + '\n';
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
        ...(executed ? { steps: result.steps, seconds: result.seconds } : {}),
      },
      null,
      2,
    ) + '\n'
  );
}
