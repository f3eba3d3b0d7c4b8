// What docs/rules/vpa-disruptive-update.md claims about VPA's updater, asked of the real one
// (k8s.io/autoscaler/vertical-pod-autoscaler v1.8.1, tools/vpa) with the real admission controller
// beside it, as a cluster runs them: a VPA in Recreate mode whose recommendation is far from its
// pods' requests makes the updater evict them, unless the workload runs one pod (its default
// --min-replicas=2 spares it), which updatePolicy.minReplicas: 1 undoes. kubeha check's verdict on
// the same manifests must match what happened.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { deleteNodes } from '../../tools/cluster/nodes.mjs';
import {
  ADMISSION_CONTROLLER,
  UPDATER,
  installVpaCrds,
  startAdmissionController,
  startUpdater,
  uninstallVpaCrds,
  type AdmissionController,
  type Updater,
} from '../../tools/vpa/start.mjs';
import { run } from '../cli/run.js';
import {
  e2eKubeconfig,
  createAll,
  freshNamespace,
  isPodReady,
  kwokNode,
  schedulableNodes,
  until,
  type Obj,
} from './support.js';

const OWNER = 'vpa-updater';
const NODES = [kwokNode('vpaup-1', 'vpaup-a', OWNER), kwokNode('vpaup-2', 'vpaup-b', OWNER)];
const built = existsSync(UPDATER) && existsSync(ADMISSION_CONTROLLER);
const title = "vpa-disruptive-update's claims, asked of VPA's real updater";

interface Case {
  name: string;
  replicas: number;
  pdb?: boolean;
  vpaMinReplicas?: number;
  /** What the rule says: the message's start, or nothing. */
  verdict: RegExp | undefined;
  /** Whether the updater evicts its pods. */
  evicted: boolean;
}

const CASES: Case[] = [
  { name: 'one-pod', replicas: 1, verdict: /which runs 1 pod, by evicting it$/, evicted: false },
  {
    name: 'one-pod-min1',
    replicas: 1,
    vpaMinReplicas: 1,
    verdict: /evicts the only pod of .* to resize it$/,
    evicted: true,
  },
  { name: 'two-no-pdb', replicas: 2, verdict: /and no PDB selects them$/, evicted: true },
  { name: 'two-pdb', replicas: 2, pdb: true, verdict: undefined, evicted: true },
];

function manifests(c: Case, namespace: string): string {
  const pdb = c.pdb
    ? `---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: ${c.name}, namespace: ${namespace} }
spec:
  maxUnavailable: 1
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector: { matchLabels: { app: ${c.name} } }
`
    : '';
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${c.name}, namespace: ${namespace} }
spec:
  replicas: ${c.replicas}
  selector: { matchLabels: { app: ${c.name} } }
  template:
    metadata: { labels: { app: ${c.name} } }
    spec:
      nodeSelector: { kubeha-e2e: ${OWNER} }
      containers:
        - name: app
          image: registry.local/app:1
          resources: { requests: { cpu: 100m, memory: 128Mi } }
---
apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata: { name: ${c.name}, namespace: ${namespace} }
spec:
  targetRef: { apiVersion: apps/v1, kind: Deployment, name: ${c.name} }
  updatePolicy:
    updateMode: Recreate${c.vpaMinReplicas !== undefined ? `\n    minReplicas: ${c.vpaMinReplicas}` : ''}
${pdb}`;
}

/** Far above the pods' 100m and 128Mi: the whole recommended range is, so the updater acts at once. */
const RECOMMENDATION = {
  containerRecommendations: [
    {
      containerName: 'app',
      target: { cpu: '500m', memory: '512Mi' },
      lowerBound: { cpu: '400m', memory: '400Mi' },
      upperBound: { cpu: '600m', memory: '600Mi' },
      uncappedTarget: { cpu: '500m', memory: '512Mi' },
    },
  ],
};

describe.skipIf(!built)(
  built ? title : `${title} (skipped: no tools/vpa/bin/updater: npm run vpa:build)`,
  () => {
    let kc: Kubeconfig;
    let admission: AdmissionController | undefined;
    let updater: Updater | undefined;
    let createdCrds: string[] = [];
    const namespace = `kubeha-vpa-updater-${Date.now().toString(36)}`;
    const dir = mkdtempSync(join(tmpdir(), 'kubeha-e2e-vpa-updater-'));
    /** Each case's first pods, by uid, and what became of them. */
    const firstPods = new Map<string, string[]>();
    const outcome = new Map<string, { replaced: boolean; resized: boolean }>();

    const podsOf = async (app: string): Promise<Obj[]> => {
      const { body } = await kubeCall(
        kc,
        'GET',
        `/api/v1/namespaces/${namespace}/pods?labelSelector=app%3D${app}`,
      );
      return (body.items as Obj[]).filter((p) => !p.metadata.deletionTimestamp);
    };

    beforeAll(async () => {
      const cluster = e2eKubeconfig();
      const kubeconfig = cluster.kubeconfig;
      kc = cluster.kc;
      createdCrds = await installVpaCrds(kc);
      await schedulableNodes(kc, NODES);
      await freshNamespace(kc, namespace);
      for (const c of CASES) await createAll(kc, manifests(c, namespace));
      for (const c of CASES) {
        const pods = await until(`${c.replicas} Ready pods of ${c.name}`, 60_000, async () => {
          const pods = await podsOf(c.name);
          return pods.length === c.replicas && pods.every(isPodReady) ? pods : undefined;
        });
        firstPods.set(
          c.name,
          pods.map((p) => p.metadata.uid as string),
        );
        const base = `/apis/autoscaling.k8s.io/v1/namespaces/${namespace}/verticalpodautoscalers/${c.name}`;
        const { body } = await kubeCall(kc, 'GET', base);
        await kubeCall(kc, 'PUT', `${base}/status`, { ...body, status: { recommendation: RECOMMENDATION } });
      }
      // The admission controller first: the updater evicts only while its status lease is fresh.
      admission = await startAdmissionController({ kubeconfig, kc, namespace });
      updater = await startUpdater({ kubeconfig, namespace, interval: '5s' });
      // Until every case that is to be evicted has all its pods replaced by resized ones, then three
      // more loops for the one that must not be.
      const evicting = CASES.filter((c) => c.evicted);
      await until('the updater to replace the pods of the evicting cases', 150_000, async () => {
        for (const c of evicting) {
          const pods = await podsOf(c.name);
          const old = firstPods.get(c.name)!;
          if (pods.length < c.replicas || pods.some((p) => old.includes(p.metadata.uid))) return undefined;
        }
        return true;
      });
      const loops = await updater.loops();
      await until('three more loops of the updater', 60_000, async () =>
        (await updater!.loops()) >= loops + 3 ? true : undefined,
      );
      for (const c of CASES) {
        const pods = await podsOf(c.name);
        const old = firstPods.get(c.name)!;
        outcome.set(c.name, {
          replaced: pods.every((p) => !old.includes(p.metadata.uid)),
          resized: pods.every((p) => p.spec.containers[0].resources?.requests?.cpu === '500m'),
        });
      }
    }, 300_000);

    afterAll(async () => {
      await updater?.stop();
      await admission?.stop();
      if (kc) {
        await kubeCall(kc, 'DELETE', `/api/v1/namespaces/${namespace}`, undefined, undefined, [404]);
        await deleteNodes(
          kc,
          NODES.map((n) => n.metadata.name),
        );
        await uninstallVpaCrds(kc, createdCrds);
      }
      rmSync(dir, { recursive: true, force: true });
    });

    for (const c of CASES)
      it(`${c.name}: the updater ${c.evicted ? 'evicts and resizes its pods' : 'leaves its one pod alone'}, and kubeha ${c.verdict ? 'says so' : 'is quiet'}`, async () => {
        expect(outcome.get(c.name), updater!.log().slice(-2000)).toEqual(
          c.evicted ? { replaced: true, resized: true } : { replaced: false, resized: false },
        );
        const file = join(dir, `${c.name}.yaml`);
        writeFileSync(file, manifests(c, namespace));
        const r = await run(['check', file, '-o', 'json', '--fail-on', 'none']);
        const findings = (
          JSON.parse(r.stdout) as { findings: { rule: string; message: string }[] }
        ).findings.filter((f) => f.rule === 'vpa-disruptive-update');
        if (c.verdict) {
          expect(findings).toHaveLength(1);
          expect(findings[0]!.message).toMatch(c.verdict);
        } else expect(findings).toEqual([]);
      });

    it('the updater evicted exactly the pods it replaced', async () => {
      const expected = CASES.filter((c) => c.evicted).reduce((n, c) => n + c.replicas, 0);
      expect(await updater!.evicted()).toBe(expected);
      // And says why it spared the one pod: its default --min-replicas=2.
      expect(updater!.log()).toMatch(
        new RegExp(
          `"Too few replicas" kind="ReplicaSet" object="${namespace}/one-pod-[a-z0-9]+" livePods=1 requiredPods=2 globalMinReplicas=2`,
        ),
      );
    });
  },
);
