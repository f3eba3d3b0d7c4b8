import { getAt } from '../model/json-path.js';
import { formatAgo, timeMs } from '../model/live.js';
import { owningWorkload } from '../model/owners.js';
import { isJsonObject, type JsonObject, type K8sObject } from '../model/types.js';
import { describe } from '../model/workload.js';
import { defineRule } from './define-rule.js';

interface Options {
  /** Restarts (restartCount) from which a container counts as looping. */
  minRestarts: number;
  /** Only containers whose last termination is at most this old, in seconds, before the scan. */
  windowSeconds: number;
}

interface Termination {
  at: number;
  reason: string | undefined;
  exitCode: number | undefined;
  pod: string;
}

interface Group {
  object: K8sObject;
  path: string;
  container: string;
  pods: Set<string>;
  restarts: number;
  last: Termination;
  hasLivenessProbe: boolean;
}

const STATUS_LISTS = [
  ['containerStatuses', 'containers'],
  ['initContainerStatuses', 'initContainers'],
] as const;

/** The container's spec and its JSON pointer inside `podSpecPath`. */
function containerSpec(
  podSpec: unknown,
  podSpecPath: string,
  field: 'containers' | 'initContainers',
  name: string,
): { spec: JsonObject; path: string } | undefined {
  if (!isJsonObject(podSpec)) return undefined;
  const list = podSpec[field];
  if (!Array.isArray(list)) return undefined;
  const i = list.findIndex((c) => isJsonObject(c) && c['name'] === name);
  const spec = list[i];
  return i >= 0 && isJsonObject(spec) ? { spec, path: `${podSpecPath}/${field}/${i}` } : undefined;
}

function cause(g: Group): string {
  const { reason, exitCode, pod } = g.last;
  const code = exitCode === undefined ? '' : `exit code ${exitCode}`;
  if (reason === 'OOMKilled')
    return `it ran out of memory (OOMKilled): raise its memory limit and request, or fix what grows`;
  // 137 and 143 are SIGKILL and SIGTERM: what the kubelet sends a container whose liveness probe fails.
  if ((exitCode === 137 || exitCode === 143) && g.hasLivenessProbe)
    return `it was killed (${code}), as a failing liveness probe does: check the probe's timeoutSeconds and failureThreshold against the app's real response times, and give a slow start a startupProbe (kubectl describe pod ${pod} shows the probe failures)`;
  if (exitCode === 0)
    return `its process ends on its own (exit code 0): a long-running container must keep running; one-off work belongs in a Job`;
  const what = [reason, code].filter((s) => s !== undefined && s !== '').join(', ');
  return `it crashes${what ? ` (${what})` : ''}: read kubectl logs --previous ${pod} -c ${g.container}`;
}

export default defineRule<Options, 'restarting' | 'restartingPods'>({
  id: 'restarting-containers',
  category: 'live',
  defaultSeverity: 'warning',
  scope: 'live',
  guide: 'Use Liveness Probe to remove unhealthy pods',
  description:
    'Containers that restarted many times, the last time recently, are in a crash or probe loop and serve intermittently.',
  fixSafety: {
    kind: 'none',
    reason: 'a cluster fact (restarts): read the logs of the restarting containers; no file to edit',
  },
  messages: {
    restarting: {
      headline: '{{owner}}: container {{container}} restarted {{restarts}} times',
      detail:
        'It last restarted {{ago}} ago: {{cause}}. A container in a crash or probe loop serves only between restarts.',
    },
    restartingPods: {
      headline: '{{owner}}: {{container}} keeps restarting in {{pods}} pods',
      detail:
        'It restarted up to {{restarts}} times, the last time {{ago}} ago: {{cause}}. A container in a crash or probe loop serves only between restarts.',
    },
  },
  defaultOptions: { minRestarts: 5, windowSeconds: 3600 },
  optionsSchema: {
    type: 'object',
    properties: {
      minRestarts: { type: 'integer', minimum: 1 },
      windowSeconds: { type: 'integer', minimum: 1 },
    },
    additionalProperties: false,
  },
  check({ index, settings, options, report }) {
    const cluster = settings.cluster;
    if (!cluster) return;
    const since = cluster.now - options.windowSeconds * 1000;
    const groups = new Map<string, Group>();
    for (const pod of index.ofKind('Pod')) {
      const owner = owningWorkload(index, pod);
      for (const [statusField, specField] of STATUS_LISTS) {
        const statuses = getAt(pod.raw, `/status/${statusField}`);
        if (!Array.isArray(statuses)) continue;
        statuses.forEach((s, i) => {
          if (!isJsonObject(s) || typeof s['name'] !== 'string') return;
          const restarts = s['restartCount'];
          if (typeof restarts !== 'number' || restarts < options.minRestarts) return;
          // The last termination: lastState while the container runs again (or waits in back-off),
          // state while it stays terminated.
          const terminated = getAt(s, '/lastState/terminated') ?? getAt(s, '/state/terminated');
          if (!isJsonObject(terminated)) return;
          const at = timeMs(terminated['finishedAt']);
          if (at === undefined || at < since) return;
          const name = s['name'];
          const inPod = containerSpec(getAt(pod.raw, '/spec'), '/spec', specField, name);
          const inOwner = owner && containerSpec(owner.podSpec, owner.podSpecPath, specField, name);
          const object = owner?.object ?? pod;
          const key = `${object.id}\u0000${name}`;
          const termination: Termination = {
            at,
            reason: typeof terminated['reason'] === 'string' ? terminated['reason'] : undefined,
            exitCode: typeof terminated['exitCode'] === 'number' ? terminated['exitCode'] : undefined,
            pod: pod.name,
          };
          let g = groups.get(key);
          if (!g) {
            g = {
              object,
              path: owner ? (inOwner?.path ?? owner.podSpecPath) : `/status/${statusField}/${i}`,
              container: name,
              pods: new Set(),
              restarts: 0,
              last: termination,
              hasLivenessProbe: false,
            };
            groups.set(key, g);
          }
          g.pods.add(pod.name);
          g.restarts = Math.max(g.restarts, restarts);
          if (at > g.last.at) g.last = termination;
          if (isJsonObject((inOwner ?? inPod)?.spec['livenessProbe'])) g.hasLivenessProbe = true;
        });
      }
    }
    for (const g of groups.values()) {
      report({
        object: g.object,
        path: g.path,
        messageId: g.pods.size > 1 ? 'restartingPods' : 'restarting',
        data: {
          container: g.container,
          owner: describe(g.object),
          restarts: g.restarts,
          pods: g.pods.size,
          ago: formatAgo(cluster.now - g.last.at),
          reason: g.last.reason ?? '',
          exitCode: g.last.exitCode ?? '',
          cause: cause(g),
        },
      });
    }
  },
});
