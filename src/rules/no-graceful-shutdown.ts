import type { JsonObject, K8sObject } from '../model/types.js';
import type { PatchOp } from './fixes/types.js';
import { edit, edits, notFixed, SAFE, setText, workloadOf } from './fixes/build.js';
import { getAt } from '../model/json-path.js';
import { atLeast, DEFAULT_KUBE_VERSION } from '../model/kube-versions.js';
import {
  hasPreStop,
  preStopSleep,
  serviceNames,
  servingContainers,
  trafficServices,
} from '../model/probes.js';
import { describe } from '../model/workload.js';
import { defineRule } from './define-rule.js';
import { isInt64 } from '../model/number-text.js';

/** terminationGracePeriodSeconds when the pod spec leaves it out (SetDefaults_PodSpec). */
const DEFAULT_GRACE = 30;

/** The preStop sleep a fix adds: long enough for endpoints to be removed, short against the grace period. */
const PRESTOP_SLEEP = 5;

export default defineRule({
  id: 'no-graceful-shutdown',
  category: 'disruptions',
  defaultSeverity: 'warning',
  guide: 'Disruptions',
  description: 'A Service-backed container that stops at once drops requests that are still routed to it.',
  needs: ['Service'],
  fixSafety: { kind: 'safe' },
  messages: {
    noPreStop: {
      headline: 'Container {{container}} of {{workload}} has no preStop hook',
      detail:
        'Traffic comes from {{services}}: when a pod is deleted (drain, rollout, scale-down) the kubelet sends SIGTERM at once, while kube-proxy, Ingress controllers and load balancers still route new requests to it for a few seconds, and those requests fail. Add lifecycle.preStop.sleep.seconds: 5 (or exec ["sleep", "5"]) so the endpoints are removed before SIGTERM, and keep terminationGracePeriodSeconds ({{grace}}) longer than the sleep plus the time the app needs to finish its requests.',
    },
    zeroSleep: {
      headline: 'Container {{container}} of {{workload}} sleeps 0 s in its preStop hook',
      detail:
        'Traffic comes from {{services}}, and SIGTERM still arrives while kube-proxy, Ingress controllers and load balancers route new requests to it. Sleep a few seconds (lifecycle.preStop.sleep.seconds: 5) so the endpoints are removed first, and keep terminationGracePeriodSeconds ({{grace}}) longer than the sleep plus the time the app needs to finish its requests.',
    },
    sleepTooLong: {
      headline: 'Container {{container}} of {{workload}}: preStop sleep outlasts the grace period',
      detail:
        'It sleeps {{duration}} in its preStop hook (traffic comes from {{services}}), not less than its grace period of {{grace}} s: the kubelet cuts the hook off when the grace period ends, then gives the app only 2 s after SIGTERM before SIGKILL, so in-flight requests are cut. Sleep a few seconds (5 s lets the endpoints be removed) and set terminationGracePeriodSeconds longer than the sleep plus the time the app needs to finish its requests.',
    },
    sleepRejected: {
      headline: 'Container {{container}} of {{workload}}: API server rejects its preStop sleep',
      detail:
        'It sets lifecycle.preStop.sleep.seconds: {{sleep}} (traffic comes from {{services}}), longer than its grace period of {{grace}} s: the API server rejects a sleep action longer than terminationGracePeriodSeconds, so this manifest is refused. Sleep a few seconds (5 s lets the endpoints be removed) and set terminationGracePeriodSeconds longer than the sleep plus the time the app needs to finish its requests.',
    },
    graceZero: {
      headline: '{{workload}} sets terminationGracePeriodSeconds: {{grace}}',
      detail:
        'Traffic comes from {{services}}, yet a deleted or evicted pod is removed from the API at once and the kubelet kills its containers within a second or two, so in-flight requests are cut and preStop hooks get no time to run. Remove the field (30 s by default) or set it longer than the preStop sleep plus the time the app needs to finish its requests.',
    },
  },
  fix(target, context) {
    const w = workloadOf(context.index, target.object);
    if (!w) return notFixed('the workload is not in the input');
    const gracePath = `${w.podSpecPath}/terminationGracePeriodSeconds`;
    const raw = getAt(target.object.raw, gracePath);
    const grace = typeof raw === 'number' ? raw : DEFAULT_GRACE;
    switch (target.messageId) {
      case 'graceZero':
        return edit(target.object, setText('terminationGracePeriodSeconds', raw, DEFAULT_GRACE), {
          op: 'replace',
          path: gracePath,
          value: DEFAULT_GRACE,
        });
      case 'noPreStop': {
        // The sleep action needs no shell in the image (distroless ones have none): GA in 1.34, on by default since 1.30.
        const native = atLeast(context.options.kubeVersion ?? DEFAULT_KUBE_VERSION, '1.30');
        const hook: JsonObject = native
          ? { sleep: { seconds: PRESTOP_SLEEP } }
          : { exec: { command: ['sleep', String(PRESTOP_SLEEP)] } };
        const ops: PatchOp[] = [{ op: 'add', path: target.path, value: hook }];
        // A grace period the sleep would use up is raised, and said: the user chose it.
        const raise = typeof raw === 'number' && raw > 0 && raw <= PRESTOP_SLEEP;
        if (raise) ops.push({ op: 'add', path: gracePath, value: DEFAULT_GRACE });
        return edits({
          object: target.object,
          description: `add a preStop sleep of ${PRESTOP_SLEEP} s${raise ? `, and ${setText('terminationGracePeriodSeconds', raw, DEFAULT_GRACE)}` : ''}`,
          ops,
          applicability: SAFE,
        });
      }
      case 'zeroSleep':
        if (!target.path.endsWith('/seconds'))
          return notFixed('the preStop command sleeps 0 s: make it sleep a few seconds');
        return edit(target.object, setText('the preStop sleep', 0, PRESTOP_SLEEP, ' s'), {
          op: 'replace',
          path: target.path,
          value: PRESTOP_SLEEP,
        });
      default: {
        // The sleep is kept (the author chose it); the grace period is made to cover it plus the default time to finish.
        const sleep = Number(target.data['sleep']);
        if (!Number.isFinite(sleep))
          return notFixed('the preStop hook sleeps forever: decide how long it should wait');
        const longer = Math.max(grace, sleep + DEFAULT_GRACE - PRESTOP_SLEEP);
        return edit(
          target.object,
          `${setText('terminationGracePeriodSeconds', raw, longer)}, longer than the ${sleep} s sleep`,
          {
            op: 'add',
            path: gracePath,
            value: longer,
          },
        );
      }
    }
  },
  check({ index, report }) {
    for (const w of index.workloads) {
      if (!w.longRunning) continue;
      const services = trafficServices(index, w).filter((svc) => !isHeadlessForStatefulSet(w.kind, svc));
      if (services.length === 0) continue;
      const svc = serviceNames(services);
      const raw = w.podSpec['terminationGracePeriodSeconds'];
      // A value that is not a number (a template placeholder) is unknown: only the missing hook is judged.
      const grace = isInt64(raw) ? raw : raw === undefined || raw === null ? DEFAULT_GRACE : undefined;
      const graceText =
        grace === undefined
          ? 'as set'
          : raw === undefined || raw === null
            ? `${grace} s by default`
            : `${grace} s`;
      if (grace !== undefined && grace <= 0) {
        report({
          object: w.object,
          path: `${w.podSpecPath}/terminationGracePeriodSeconds`,
          messageId: 'graceZero',
          data: { workload: describe(w), grace, services: svc },
        });
      }
      const serving = servingContainers(w, services);
      // Only app containers: the kubelet stops native sidecars after the app containers have exited,
      // so a sidecar never receives SIGTERM while the endpoints still send traffic through it.
      for (const c of w.containers) {
        if (c.kind !== 'app' || !serving.has(c)) continue;
        const data = { container: c.name, workload: describe(w), services: svc, grace: graceText };
        if (!hasPreStop(c)) {
          report({ object: w.object, path: `${c.path}/lifecycle/preStop`, messageId: 'noPreStop', data });
          continue;
        }
        const sleep = preStopSleep(c);
        if (!sleep) continue;
        if (sleep.seconds === 0) {
          report({ object: w.object, path: sleep.path, messageId: 'zeroSleep', data });
          continue;
        }
        // With a grace period of 0 the grace period is the one thing to fix, reported above.
        if (grace === undefined || grace <= 0 || sleep.seconds < grace) continue;
        report({
          object: w.object,
          path: sleep.path,
          messageId: sleep.native && sleep.seconds > grace ? 'sleepRejected' : 'sleepTooLong',
          data: {
            ...data,
            grace,
            sleep: sleep.seconds === Infinity ? 'infinity' : sleep.seconds,
            duration: sleep.seconds === Infinity ? 'forever (sleep infinity)' : `${sleep.seconds} s`,
          },
        });
      }
    }
  },
});

/**
 * A headless Service (clusterIP: None) in front of a StatefulSet: the shape of a database or broker.
 * It has no virtual IP, so no kube-proxy rule or load balancer keeps sending new requests to a pod
 * after SIGTERM, which is what a preStop sleep waits out; its clients reach stable per-pod names and
 * reconnect when the server closes their connections. Such a Service makes no finding on its own; a
 * ClusterIP or LoadBalancer Service in front of the same pods still does.
 */
function isHeadlessForStatefulSet(kind: string, svc: K8sObject): boolean {
  return kind === 'StatefulSet' && getAt(svc.raw, '/spec/clusterIP') === 'None';
}
