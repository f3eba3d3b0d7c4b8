// kubeha rightsize's requests and limits beside what the real VPA admission controller
// (k8s.io/autoscaler/vertical-pod-autoscaler v1.8.1, built by tools/vpa/build.sh) writes into a
// pod, for the same recommendation: `--limits ratio` claims to be what VPA does (limits scaled with
// the requests under controlledValues RequestsAndLimits; limits kept and a request above its limit
// capped at it under RequestsOnly; a limit without a request; no limit; a container with mode Off).
// Each case's VPA (updateMode Initial) gets a recommendation written into its status, as the
// recommender writes it; its Deployment's pods pass the admission controller's webhook on creation;
// kubeha's plan (src/rightsize/plan.ts planContainer) gets the same recommendation.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import {
  ADMISSION_CONTROLLER,
  installVpaCrds,
  startAdmissionController,
  uninstallVpaCrds,
  type AdmissionController,
} from '../../tools/vpa/start.mjs';
import { parseQuantity } from '../../src/model/quantity.js';
import { planContainer } from '../../src/rightsize/plan.js';
import { resourcesOf } from '../../src/rightsize/targets.js';
import type { Amounts } from '../../src/rightsize/types.js';
import type { ContainerRecommendation } from '../../src/rightsize/vpa/index.js';
import { workloadVpa } from '../../src/rightsize/vpa-object.js';
import { parseManifests } from '../../src/sources/parse.js';
import { e2eKubeconfig, freshNamespace, until, type Obj } from './support.js';

const built = existsSync(ADMISSION_CONTROLLER);
const title = "kubeha rightsize's limits policy `ratio` is what VPA's admission controller writes into pods";

interface Case {
  name: string;
  containers: { name: string; resources: Obj }[];
  /** The recommendation written into the VPA's status, per container. */
  targets: Record<string, { cpu: string; memory: string }>;
  resourcePolicy?: Obj;
}

const both = (cpu: string, memory: string) => ({ cpu, memory });
const CASES: Case[] = [
  {
    name: 'scaled',
    containers: [{ name: 'app', resources: { requests: both('500m', '512Mi'), limits: both('1', '1Gi') } }],
    targets: { app: both('250m', '256Mi') },
  },
  {
    name: 'scaled-up',
    containers: [
      { name: 'app', resources: { requests: both('200m', '300Mi'), limits: both('300m', '600Mi') } },
    ],
    targets: { app: both('400m', '900Mi') },
  },
  {
    name: 'requests-only-below',
    containers: [{ name: 'app', resources: { requests: both('500m', '512Mi'), limits: both('1', '1Gi') } }],
    targets: { app: both('250m', '256Mi') },
    resourcePolicy: { containerPolicies: [{ containerName: 'app', controlledValues: 'RequestsOnly' }] },
  },
  {
    name: 'requests-only-above',
    containers: [{ name: 'app', resources: { requests: both('500m', '512Mi'), limits: both('1', '1Gi') } }],
    targets: { app: both('2', '3Gi') },
    resourcePolicy: { containerPolicies: [{ containerName: '*', controlledValues: 'RequestsOnly' }] },
  },
  {
    name: 'limit-only',
    // The API server defaults the request to the limit: the limit follows the new request.
    containers: [{ name: 'app', resources: { limits: both('1', '1Gi') } }],
    targets: { app: both('300m', '400Mi') },
  },
  {
    name: 'no-limit',
    containers: [{ name: 'app', resources: { requests: both('500m', '512Mi') } }],
    targets: { app: both('150m', '200Mi') },
  },
  {
    name: 'sidecar-off',
    containers: [
      { name: 'app', resources: { requests: both('500m', '512Mi'), limits: both('1', '1Gi') } },
      { name: 'sidecar', resources: { requests: both('100m', '128Mi'), limits: both('200m', '256Mi') } },
    ],
    // The recommender writes nothing for a container with mode Off.
    targets: { app: both('250m', '256Mi') },
    resourcePolicy: { containerPolicies: [{ containerName: 'sidecar', mode: 'Off' }] },
  },
];

function deployment(c: Case, namespace: string): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: c.name, namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: c.name } },
      template: {
        metadata: { labels: { app: c.name } },
        spec: {
          containers: c.containers.map((k) => ({
            name: k.name,
            image: 'registry.local/app:1',
            resources: k.resources,
          })),
        },
      },
    },
  };
}

function vpa(c: Case, namespace: string): Obj {
  return {
    apiVersion: 'autoscaling.k8s.io/v1',
    kind: 'VerticalPodAutoscaler',
    metadata: { name: c.name, namespace },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: c.name },
      updatePolicy: { updateMode: 'Initial' },
      ...(c.resourcePolicy ? { resourcePolicy: c.resourcePolicy } : {}),
    },
  };
}

function amounts(list: Obj | undefined): Amounts {
  const cpu = parseQuantity(list?.cpu);
  const memory = parseQuantity(list?.memory);
  return {
    ...(cpu !== undefined ? { cpuCores: cpu } : {}),
    ...(memory !== undefined ? { memoryBytes: memory } : {}),
  };
}

/** kubeha's requests and limits for a container of the case, from the same recommendation. */
function kubehaPlan(c: Case, namespace: string, container: string): { requests: Amounts; limits: Amounts } {
  const spec = c.containers.find((k) => k.name === container)!;
  const target = c.targets[container];
  // The case's VPA as kubeha reads it from a manifest or a cluster.
  const parsed = parseManifests(JSON.stringify(vpa(c, namespace)), 'vpa.json', {
    defaultNamespace: namespace,
  });
  const current = resourcesOf(spec);
  const recommended = target ? amounts(target) : undefined;
  const recommendation: ContainerRecommendation | undefined = recommended
    ? {
        container,
        target: recommended,
        lowerBound: recommended,
        upperBound: recommended,
        uncappedTarget: recommended,
        cappings: [],
        controlledResources: ['cpu', 'memory'],
        cpuSamples: 1,
        memoryPeaks: 1,
        oomKills: 0,
        confidence: 1,
      }
    : undefined;
  const plan = planContainer(
    { name: container, path: '', current },
    recommendation,
    'ratio',
    workloadVpa(parsed.objects),
  );
  return plan.recommended ?? current;
}

describe.skipIf(!built)(
  built ? title : `${title} (skipped: no ${ADMISSION_CONTROLLER}: npm run vpa:build)`,
  () => {
    let kc: Kubeconfig;
    let controller: AdmissionController | undefined;
    let createdCrds: string[] = [];
    const namespace = `kubeha-vpa-admission-${Date.now().toString(36)}`;
    const pods = new Map<string, Obj>();

    beforeAll(async () => {
      const cluster = e2eKubeconfig();
      const kubeconfig = cluster.kubeconfig;
      kc = cluster.kc;
      createdCrds = await installVpaCrds(kc);
      await freshNamespace(kc, namespace);
      controller = await startAdmissionController({ kubeconfig, kc, namespace });
      const base = `/apis/autoscaling.k8s.io/v1/namespaces/${namespace}/verticalpodautoscalers`;
      // The API server calls the webhook once it has read the new configuration: a VPA's creation
      // goes through it (a probe VPA, its target absent, controls no pod).
      for (let i = 0; (await controller.admissions('VPA')) === 0; i++) {
        if (i === 60)
          throw new Error(`the API server never called the admission controller; log: ${controller.logFile}`);
        await kubeCall(kc, 'POST', base, { ...vpa({ ...CASES[0]!, name: `probe-${i}` }, namespace) });
        await new Promise((r) => setTimeout(r, 500));
      }
      // Each VPA with its recommendation in its status, as the recommender writes it.
      for (const c of CASES) {
        const { body } = await kubeCall(kc, 'POST', base, vpa(c, namespace));
        const containerRecommendations = Object.entries(c.targets).map(([containerName, t]) => ({
          containerName,
          target: t,
          lowerBound: t,
          upperBound: t,
          uncappedTarget: t,
        }));
        await kubeCall(kc, 'PUT', `${base}/${c.name}/status`, {
          ...body,
          status: { recommendation: { containerRecommendations } },
        });
      }
      for (const c of CASES)
        await kubeCall(
          kc,
          'POST',
          `/apis/apps/v1/namespaces/${namespace}/deployments`,
          deployment(c, namespace),
        );
      // A pod created before the admission controller's informer had its VPA's status goes through
      // unpatched: it is deleted, and its ReplicaSet makes another.
      for (const c of CASES) {
        const pod = await until(
          `a pod of ${c.name} patched by the admission controller`,
          90_000,
          async () => {
            const { body } = await kubeCall(
              kc,
              'GET',
              `/api/v1/namespaces/${namespace}/pods?labelSelector=app%3D${c.name}`,
            );
            const items = (body.items as Obj[]).filter((p) => !p.metadata.deletionTimestamp);
            const patched = items.find((p) => p.metadata.annotations?.['vpaUpdates']);
            if (patched) return patched;
            for (const p of items)
              if (Date.now() - Date.parse(p.metadata.creationTimestamp) > 3_000)
                await kubeCall(
                  kc,
                  'DELETE',
                  `/api/v1/namespaces/${namespace}/pods/${p.metadata.name}`,
                  undefined,
                  undefined,
                  [404],
                );
            return undefined;
          },
        );
        pods.set(c.name, pod);
      }
    }, 180_000);

    afterAll(async () => {
      await controller?.stop();
      if (kc) {
        await kubeCall(kc, 'DELETE', `/api/v1/namespaces/${namespace}`, undefined, undefined, [404]);
        await uninstallVpaCrds(kc, createdCrds);
      }
    });

    it('the admission controller patched a pod of every case', async () => {
      expect(pods.size).toBe(CASES.length);
      expect(await controller!.admissions('Pod')).toBeGreaterThanOrEqual(CASES.length);
    });

    for (const c of CASES)
      for (const k of c.containers)
        it(`${c.name}/${k.name}: kubeha's requests and limits are the pod's`, () => {
          const pod = pods.get(c.name)!;
          const spec = (pod.spec.containers as Obj[]).find((x) => x.name === k.name);
          const vpaSide = {
            requests: amounts(spec.resources?.requests),
            limits: amounts(spec.resources?.limits),
          };
          const ours = kubehaPlan(c, namespace, k.name);
          expect(
            ours,
            `pod ${pod.metadata.name}: ${JSON.stringify(spec.resources)}; annotations ${JSON.stringify(pod.metadata.annotations)}`,
          ).toEqual(vpaSide);
        });
  },
);
