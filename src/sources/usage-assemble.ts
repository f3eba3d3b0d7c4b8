/**
 * Turns what a source read (pod labels, per-container samples, OOM kills) into one WorkloadUsage
 * per workload asked: its pods are those whose labels its selector matches; its containers those of
 * its template; each thing missing is one line, and no number is made up for it. Pure; shared by
 * the Prometheus and the metrics-API sources.
 */
import type { ContainerUsage, OomKill, UsageQuery, UsageSample, WorkloadUsage } from '../model/usage.js';

/** Pod name -> its labels (as the source knows them). */
export type PodLabels = ReadonlyMap<string, Readonly<Record<string, string>>>;

/** The history of one namespace: per pod, per container. */
export interface NamespaceHistory {
  readonly cpu: ReadonlyMap<string, ReadonlyMap<string, UsageSample[]>>;
  readonly memory: ReadonlyMap<string, ReadonlyMap<string, UsageSample[]>>;
  readonly ooms: ReadonlyMap<string, ReadonlyMap<string, OomKill[]>>;
}

/** How the source names its inputs in the lines it writes. */
export interface SourceWording {
  /** e.g. "container_cpu_usage_seconds_total" or "the metrics API's CPU". */
  readonly cpu: string;
  readonly memory: string;
  /** Where the pods were found, e.g. "kube_pod_labels" or "the pod list". */
  readonly pods: string;
  /** Compares a selector key with a label key as the source spells it (kube-state-metrics sanitizes). */
  readonly labelKey: (selectorKey: string) => string;
}

/** The pods of a namespace whose labels the workload's matchLabels select (every key equal). */
export function podsOf(query: UsageQuery, pods: PodLabels, wording: SourceWording): string[] {
  const wanted = Object.entries(query.matchLabels).map(([k, v]) => [wording.labelKey(k), v] as const);
  const out: string[] = [];
  for (const [pod, labels] of pods) if (wanted.every(([k, v]) => labels[k] === v)) out.push(pod);
  return out.sort();
}

/** One workload's usage from its pods' history, with a line for each thing that is missing. */
export function workloadUsage(
  query: UsageQuery,
  pods: readonly string[],
  history: NamespaceHistory,
  wording: SourceWording,
): WorkloadUsage {
  const selector = Object.entries(query.matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  if (pods.length === 0)
    return {
      workload: query.workload,
      containers: [],
      problems: [`no history: no pod in ${wording.pods} over the window matches its selector ${selector}`],
    };

  const byContainer = new Map<string, ContainerUsage[]>();
  let anyCpu = false;
  let anyMemory = false;
  for (const pod of pods) {
    const cpu = history.cpu.get(pod);
    const memory = history.memory.get(pod);
    const ooms = history.ooms.get(pod);
    const names = new Set([...(cpu?.keys() ?? []), ...(memory?.keys() ?? [])]);
    for (const container of [...names].sort()) {
      const usage: ContainerUsage = {
        pod,
        container,
        cpu: cpu?.get(container) ?? [],
        memory: memory?.get(container) ?? [],
        ooms: ooms?.get(container) ?? [],
      };
      if (usage.cpu.length) anyCpu = true;
      if (usage.memory.length) anyMemory = true;
      if (!usage.cpu.length && !usage.memory.length) continue;
      byContainer.set(container, [...(byContainer.get(container) ?? []), usage]);
    }
  }

  const podsText = `its ${pods.length} pod${pods.length === 1 ? '' : 's'} (${listed(pods)})`;
  if (!anyCpu && !anyMemory)
    return {
      workload: query.workload,
      containers: [],
      problems: [`no history: no samples of ${wording.cpu} or ${wording.memory} for ${podsText}`],
    };

  const problems: string[] = [];
  if (!anyCpu) problems.push(`no samples of ${wording.cpu} for ${podsText}: no CPU recommendation`);
  if (!anyMemory) problems.push(`no samples of ${wording.memory} for ${podsText}: no memory recommendation`);

  const template = query.containers;
  if (template.length === 0)
    return { workload: query.workload, containers: [...byContainer.values()].flat(), problems };

  const gone = [...byContainer.keys()].filter((c) => !template.includes(c)).sort();
  const missing = template.filter((c) => !byContainer.has(c));
  for (const container of missing) {
    problems.push(
      gone.length
        ? `container ${container} has no history; ${gone.join(', ')}, not in the template any more, had — renamed?`
        : `container ${container} has no history: no samples for it in ${podsText}`,
    );
  }
  if (gone.length && missing.length === 0)
    problems.push(`container ${gone.join(', ')} is not in the template any more: its history is left out`);

  return {
    workload: query.workload,
    containers: template.flatMap((c) => byContainer.get(c) ?? []),
    problems,
  };
}

/** The first few names, then how many more. */
function listed(names: readonly string[]): string {
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}
