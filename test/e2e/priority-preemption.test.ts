// What missing-priority-class and priority-class-cannot-preempt (docs/rules/) and the simulator's
// DefaultPreemption (docs/simulate.md) claim, asked of the real kube-scheduler: on a full node, a pod
// that names no PriorityClass cannot make room by preempting another classless pod (same priority), a
// pod whose class has preemptionPolicy Never waits too, a pod whose class is higher preempts, and a
// classless pod (globalDefault) preempts a pod whose class is below the globalDefault; the API server
// refuses to change a class's preemptionPolicy or value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { deleteNodes } from '../../tools/cluster/nodes.mjs';
import {
  e2eKubeconfig,
  dropNamespace,
  freshNamespace,
  kwokNode,
  schedulableNodes,
  until,
  type Obj,
} from './support.js';

const OWNER = 'priority-preemption';
const NS = 'kubeha-e2e-priority';
const NODE = 'prio-1';
const CRITICAL = 'kubeha-e2e-critical';
const NEVER = 'kubeha-e2e-critical-never';
const DEFAULT = 'kubeha-e2e-default';
const LOW = 'kubeha-e2e-low';
const NODE_2 = 'prio-2';
const OWNER_2 = 'priority-default';

/** A pod that needs most of the node's one CPU, so two never fit together. */
function pod(name: string, priorityClassName?: string, owner = OWNER): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS },
    spec: {
      nodeSelector: { 'kubeha-e2e': owner },
      ...(priorityClassName ? { priorityClassName } : {}),
      containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '800m' } } }],
    },
  };
}

const podPath = (name: string): string => `/api/v1/namespaces/${NS}/pods/${name}`;

async function getPod(kc: Kubeconfig, name: string): Promise<Obj | undefined> {
  const { status, body } = await kubeCall(kc, 'GET', podPath(name), undefined, undefined, [404]);
  return status === 404 ? undefined : body;
}

/** The scheduler has tried the pod and found no node: PodScheduled False, Unschedulable. */
const unschedulable = (p: Obj): boolean =>
  (p?.status?.conditions ?? []).some(
    (c: Obj) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
  );

describe('kube-scheduler preemption and PriorityClasses', () => {
  let kc: Kubeconfig;

  beforeAll(async () => {
    kc = e2eKubeconfig().kc;
    await schedulableNodes(kc, [kwokNode(NODE, 'prio-a', OWNER, { cpu: '1', memory: '4Gi' })]);
    await freshNamespace(kc, NS);
    for (const [name, extra] of [
      [CRITICAL, {}],
      [NEVER, { preemptionPolicy: 'Never' }],
    ] as const) {
      await kubeCall(
        kc,
        'DELETE',
        `/apis/scheduling.k8s.io/v1/priorityclasses/${name}`,
        undefined,
        undefined,
        [404],
      );
      await kubeCall(kc, 'POST', '/apis/scheduling.k8s.io/v1/priorityclasses', {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name },
        value: 1000,
        ...extra,
      });
    }
  }, 180_000);

  afterAll(async () => {
    if (!kc) return;
    await dropNamespace(kc, NS);
    // The globalDefault class would give every later classless pod of this cluster its value: it goes.
    for (const name of [CRITICAL, NEVER, DEFAULT, LOW])
      await kubeCall(
        kc,
        'DELETE',
        `/apis/scheduling.k8s.io/v1/priorityclasses/${name}`,
        undefined,
        undefined,
        [404],
      ).catch(() => undefined);
    await deleteNodes(kc, [NODE, NODE_2]).catch(() => undefined);
  }, 60_000);

  it('a classless pod and a Never pod wait on a full node; a higher class preempts the classless pod there', async () => {
    await kubeCall(kc, 'POST', `/api/v1/namespaces/${NS}/pods`, pod('filler'));
    const filler = await until('the filler pod to be bound', 60_000, async () => {
      const p = await getPod(kc, 'filler');
      return p?.spec?.nodeName ? p : undefined;
    });
    expect(filler.spec.nodeName).toBe(NODE);
    expect(filler.spec.priority).toBe(0);

    // Same priority as the filler (0): DefaultPreemption has no victim to choose.
    await kubeCall(kc, 'POST', `/api/v1/namespaces/${NS}/pods`, pod('classless'));
    // preemptionPolicy Never: higher than the filler, but it does not preempt.
    await kubeCall(kc, 'POST', `/api/v1/namespaces/${NS}/pods`, pod('never', NEVER));
    for (const name of ['classless', 'never']) {
      const p = await until(`${name} to be found unschedulable`, 60_000, async () => {
        const q = await getPod(kc, name);
        return unschedulable(q) ? q : undefined;
      });
      expect(p.spec.nodeName, name).toBeUndefined();
      expect(p.status.nominatedNodeName, name).toBeUndefined();
    }
    const never = await getPod(kc, 'never');
    expect(never.spec.priority).toBe(1000);
    expect(never.spec.preemptionPolicy).toBe('Never');
    const still = await getPod(kc, 'filler');
    expect(still?.metadata?.deletionTimestamp).toBeUndefined();

    // A class above the filler's priority, PreemptLowerPriority: the filler is the victim.
    await kubeCall(kc, 'POST', `/api/v1/namespaces/${NS}/pods`, pod('critical', CRITICAL));
    const critical = await until('the critical pod to be bound', 90_000, async () => {
      const p = await getPod(kc, 'critical');
      return p?.spec?.nodeName ? p : undefined;
    });
    expect(critical.spec.nodeName).toBe(NODE);
    const victim = await getPod(kc, 'filler');
    expect(victim === undefined || victim.metadata.deletionTimestamp !== undefined).toBe(true);
    // The classless and Never pods are still waiting: nothing made room for them.
    for (const name of ['classless', 'never'])
      expect((await getPod(kc, name))?.spec?.nodeName, name).toBeUndefined();
  }, 240_000);

  it("refuses to change a PriorityClass's preemptionPolicy or value: the fix is a new class", async () => {
    for (const patch of [{ preemptionPolicy: 'PreemptLowerPriority' }, { value: 2000 }]) {
      const { status, body } = await kubeCall(
        kc,
        'PATCH',
        `/apis/scheduling.k8s.io/v1/priorityclasses/${NEVER}`,
        patch,
        'application/merge-patch+json',
        [422],
      );
      expect(status, JSON.stringify(patch)).toBe(422);
      expect(String(body.message), JSON.stringify(patch)).toMatch(/immutable|may not be changed/);
    }
  });

  it('a classless pod gets the globalDefault value and preempts a pod whose class is below it', async () => {
    await schedulableNodes(kc, [kwokNode(NODE_2, 'prio-a', OWNER_2, { cpu: '1', memory: '4Gi' })]);
    for (const [name, extra] of [
      [LOW, { value: 500 }],
      [DEFAULT, { value: 1000, globalDefault: true }],
    ] as const)
      await kubeCall(kc, 'POST', '/apis/scheduling.k8s.io/v1/priorityclasses', {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name },
        ...extra,
      });
    await kubeCall(kc, 'POST', `/api/v1/namespaces/${NS}/pods`, pod('low', LOW, OWNER_2));
    await until('the low pod to be bound', 60_000, async () => (await getPod(kc, 'low'))?.spec?.nodeName);
    await kubeCall(kc, 'POST', `/api/v1/namespaces/${NS}/pods`, pod('plain', undefined, OWNER_2));
    const plain = await until('the classless pod to be bound', 90_000, async () => {
      const p = await getPod(kc, 'plain');
      return p?.spec?.nodeName ? p : undefined;
    });
    expect(plain.spec.priority).toBe(1000);
    expect(plain.spec.nodeName).toBe(NODE_2);
    const victim = await getPod(kc, 'low');
    expect(victim === undefined || victim.metadata.deletionTimestamp !== undefined).toBe(true);
    await kubeCall(
      kc,
      'DELETE',
      `/apis/scheduling.k8s.io/v1/priorityclasses/${DEFAULT}`,
      undefined,
      undefined,
      [404],
    );
  }, 240_000);
});
