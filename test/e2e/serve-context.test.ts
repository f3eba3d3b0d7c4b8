// serve's view of a namespace, against the real API server: listed once and then watched, so a review
// is judged on the objects as they are now without a request; a review whose findings rest on the
// namespace is confirmed after a sync that started after it arrived, which sees a write the watch has
// not delivered yet; the reviews that arrive while a sync is under way share the next one; and a role
// without `watch` gets the namespace read as before.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { kubeCall, loadKubeconfig, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { kubeconfigPath } from '../../tools/cluster/nodes.mjs';
import { admissionKind, cachedContext } from '../../src/serve/context.js';
import { connect, type ClusterClient, type WatchEvent } from '../../src/sources/cluster-client.js';
import { SCANNED } from '../../src/sources/cluster-reader.js';
import { ROOT } from '../cli/run.js';
import {
  collectionPath,
  createAll,
  dropNamespace,
  freshNamespace,
  serviceAccountKubeconfig,
  until,
  type Obj,
} from './support.js';

const NS = 'kubeha-serve-context-e2e';
const kubeconfig = kubeconfigPath();
let kc: Kubeconfig;
let client: ClusterClient;

const pdb = (name: string) => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name, namespace: NS },
  spec: { maxUnavailable: 1, selector: { matchLabels: { app: name } } },
});
const hpa = (name: string) => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name, namespace: NS },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
    minReplicas: 2,
    maxReplicas: 6,
  },
});
const PDBS = `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets`;
const HPAS = `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers`;

/**
 * The real client, counting its requests (lists of the PDBs stand for a read of the namespace: every
 * read lists them once) and able to hold its answers: `holdGets` holds every GET, `holdEvents` the
 * watches' events, as a watch that has not delivered a change yet.
 */
function counted(real: ClusterClient) {
  const state = {
    gets: [] as string[],
    pdbLists: 0,
    gets_: undefined as Promise<void> | undefined,
    events: undefined as Promise<void> | undefined,
  };
  let releaseGets: () => void = () => undefined;
  let releaseEvents: () => void = () => undefined;
  const wrapped: ClusterClient = {
    ...real,
    get: async (path) => {
      state.gets.push(path);
      if (path.startsWith(`${PDBS}?`)) state.pdbLists++;
      if (state.gets_) await state.gets_;
      return real.get(path);
    },
    watch: (path, from, onEvent) =>
      real.watch(path, from, (event: WatchEvent) => {
        if (state.events) void state.events.then(() => onEvent(event));
        else onEvent(event);
      }),
  };
  return {
    client: wrapped,
    state,
    holdGets: () => void (state.gets_ = new Promise<void>((r) => (releaseGets = r))),
    releaseGets: () => {
      state.gets_ = undefined;
      releaseGets();
    },
    holdEvents: () => void (state.events = new Promise<void>((r) => (releaseEvents = r))),
    releaseEvents: () => {
      state.events = undefined;
      releaseEvents();
    },
  };
}

const namesOf = (kind: string, objects: readonly { kind: string; name: string }[]) =>
  objects.filter((o) => o.kind === kind).map((o) => o.name);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('serve: its view of a namespace', () => {
  beforeAll(async () => {
    kc = loadKubeconfig(kubeconfig);
    client = await connect({ kubeconfig });
    await freshNamespace(kc, NS);
  });
  afterAll(() => dropNamespace(kc, NS));

  it('follows the namespace by its watches: a PDB created and one deleted show without a request', async () => {
    await kubeCall(kc, 'POST', PDBS, pdb('seen-0'));
    const c = counted(client);
    const context = cachedContext(c.client, 10_000);
    expect(namesOf('PodDisruptionBudget', (await context.contextOf(NS)).objects)).toContain('seen-0');
    const afterStart = c.state.gets.length;
    await kubeCall(kc, 'POST', PDBS, pdb('seen-1'));
    await kubeCall(kc, 'DELETE', `${PDBS}/seen-0`);
    await until('the watch to bring the PDBs', 10_000, async () => {
      const names = namesOf('PodDisruptionBudget', (await context.contextOf(NS)).objects);
      return names.includes('seen-1') && !names.includes('seen-0') ? true : undefined;
    });
    // The timed cache of before read the namespace again only after 10 s, and would still hold seen-0.
    expect(c.state.gets.length).toBe(afterStart);
    context.close?.();
  });

  it('a review that arrives after an HPA was created is confirmed on a view that has it, though the watch has not delivered it yet', async () => {
    const c = counted(client);
    const context = cachedContext(c.client, 10_000);
    await context.contextOf(NS);
    c.holdEvents();
    // Earlier in the same `kubectl apply -f dir/`: the HPA, answered before the Deployment is sent.
    await kubeCall(kc, 'POST', HPAS, hpa('web'));
    const arrived = Date.now();
    // Judged on the view: the watch's event is still on its way.
    expect(namesOf('HorizontalPodAutoscaler', (await context.contextOf(NS)).objects)).not.toContain('web');
    const pdbLists = c.state.pdbLists;
    const confirmed = await context.contextOf(NS, arrived);
    expect(confirmed.readAt).toBeGreaterThanOrEqual(arrived);
    expect(namesOf('HorizontalPodAutoscaler', confirmed.objects)).toContain('web');
    // One list per kind, no discovery.
    expect(c.state.pdbLists).toBe(pdbLists + 1);
    expect(c.state.gets.filter((p) => p === '/apis')).toHaveLength(1);
    // The event delivered late does not take the view back: it holds that version or a newer one.
    const version = (objects: readonly { kind: string; name: string; raw: Record<string, unknown> }[]) =>
      Number(
        (
          objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.name === 'web')?.raw['metadata'] as {
            resourceVersion: string;
          }
        ).resourceVersion,
      );
    const seen = version(confirmed.objects);
    c.releaseEvents();
    await sleep(200);
    expect(version((await context.contextOf(NS)).objects)).toBeGreaterThanOrEqual(seen);
    context.close?.();
  });

  it('reviews that arrive during a sync share the one sync that starts after it, and see what was there when they arrived', async () => {
    const c = counted(client);
    const context = cachedContext(c.client, 10_000);
    await context.contextOf(NS);
    const before = c.state.pdbLists;
    await sleep(5);
    c.holdEvents();
    c.holdGets();
    // A sync under way (a review found something in the view that rests on it).
    const first = context.contextOf(NS, Date.now());
    // Eight reviews arrive one after another while it is held, each after a PDB is created.
    const confirmed: ReturnType<typeof context.contextOf>[] = [];
    const arrivals: number[] = [];
    for (let i = 0; i < 8; i++) {
      await kubeCall(kc, 'POST', PDBS, pdb(`app-${i}`));
      await sleep(3);
      arrivals.push(Date.now());
      confirmed.push(context.contextOf(NS, arrivals[i]));
    }
    c.releaseGets();
    await first;
    const answers = await Promise.all(confirmed);
    // Two syncs for the nine (a read per review made nine, all at once).
    expect(c.state.pdbLists - before).toBe(2);
    answers.forEach((a, i) => {
      expect(a.readAt).toBeGreaterThanOrEqual(arrivals[i]!);
      expect(namesOf('PodDisruptionBudget', a.objects)).toEqual(
        expect.arrayContaining(Array.from({ length: 8 }, (_, j) => `app-${j}`)),
      );
    });
    c.releaseEvents();
    context.close?.();
  });

  it('a role without watch: the namespace is read on each doubt, as before, and the reads see every write', async () => {
    await kubeCall(kc, 'POST', `/api/v1/namespaces/${NS}/serviceaccounts`, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'no-watch', namespace: NS },
    });
    await kubeCall(kc, 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/roles`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'no-watch', namespace: NS },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list'] }],
    });
    await kubeCall(kc, 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'no-watch', namespace: NS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'no-watch' },
      subjects: [{ kind: 'ServiceAccount', name: 'no-watch', namespace: NS }],
    });
    const asRole = await connect({ kubeconfig: await serviceAccountKubeconfig(kc, NS, 'no-watch') });
    const lines: string[] = [];
    const context = cachedContext(asRole, 1_000, { log: (l) => lines.push(l) });
    // RBAC's authorizer sees the new binding within a moment.
    const first = await until('the no-watch role to take effect', 30_000, async () => {
      const r = await context.contextOf(NS);
      return r.warnings.length === 0 && r.listed.has('PodDisruptionBudget') ? r : undefined;
    });
    expect(lines.join('\n')).toMatch(/cannot watch .* \(403\).*grant "watch"/);
    expect(namesOf('PodDisruptionBudget', first.objects)).toContain('app-0');
    await kubeCall(kc, 'POST', HPAS, hpa('late'));
    const arrived = Date.now();
    const confirmed = await context.contextOf(NS, arrived);
    expect(confirmed.readAt).toBeGreaterThanOrEqual(arrived);
    expect(namesOf('HorizontalPodAutoscaler', confirmed.objects)).toContain('late');
  });

  it("deploy/serve.yaml's ServiceAccount follows the namespace by watch, and may watch nothing else", async () => {
    const SA = 'system:serviceaccount:kubeha:kubeha-serve';
    await createAll(kc, readFileSync(join(ROOT, 'deploy/rbac.yaml'), 'utf8'));
    // serve.yaml's RBAC only (its Certificate needs cert-manager, which the test cluster lacks);
    // replaced, so that a role left by an older run is not what is tested.
    const rbac = parseAllDocuments(readFileSync(join(ROOT, 'deploy/serve.yaml'), 'utf8'))
      .map((d) => d.toJS() as Obj)
      .filter((o) => ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'].includes(o?.kind));
    const remove = async (): Promise<void> => {
      for (const o of rbac)
        await kubeCall(kc, 'DELETE', `${collectionPath(o)}/${o.metadata.name}`, undefined, undefined, [404]);
    };
    await remove();
    for (const o of rbac) await kubeCall(kc, 'POST', collectionPath(o), o, undefined, [409]);
    // Not left behind: the Helm chart's e2e applies objects of the same names.
    onTestFinished(remove);
    /** The API server's answer: may the ServiceAccount do this? */
    const may = async (
      verb: string,
      group: string,
      resource: string,
      namespace?: string,
    ): Promise<boolean> => {
      const { body } = await kubeCall(kc, 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: SA,
          groups: ['system:serviceaccounts', 'system:serviceaccounts:kubeha', 'system:authenticated'],
          resourceAttributes: { verb, group, resource, ...(namespace ? { namespace } : {}) },
        },
      });
      return body.status.allowed === true;
    };
    const followed = SCANNED.filter(admissionKind);
    // RBAC's authorizer sees the new bindings within a moment.
    await until('the watch role to take effect', 30_000, async () =>
      (await Promise.all(followed.map((t) => may('watch', t.group, t.plural, NS)))).every(Boolean)
        ? true
        : undefined,
    );
    // Every kind scan reads may be listed; only the kinds serve follows may be watched.
    for (const t of SCANNED) {
      expect(await may('list', t.group, t.plural, t.namespaced ? NS : undefined), `list ${t.plural}`).toBe(
        true,
      );
      expect(await may('watch', t.group, t.plural, t.namespaced ? NS : undefined), `watch ${t.plural}`).toBe(
        admissionKind(t),
      );
    }
    for (const [verb, group, resource] of [
      ['watch', '', 'secrets'],
      ['watch', '', 'configmaps'],
      ['get', '', 'secrets'],
      ['create', 'apps', 'deployments'],
      ['update', 'policy', 'poddisruptionbudgets'],
      ['delete', '', 'pods'],
    ] as const)
      expect(await may(verb, group, resource, NS), `${verb} ${resource}`).toBe(false);

    const asServe = await connect({
      kubeconfig: await serviceAccountKubeconfig(kc, 'kubeha', 'kubeha-serve'),
    });
    const lines: string[] = [];
    const context = cachedContext(asServe, 10_000, { log: (l) => lines.push(l) });
    const first = await context.contextOf(NS);
    expect(first.warnings).toEqual([]);
    expect(first.listed).toContain('PodDisruptionBudget');
    await kubeCall(kc, 'POST', PDBS, pdb('watched-by-serve'));
    await until('the watch to bring the PDB', 10_000, async () =>
      namesOf('PodDisruptionBudget', (await context.contextOf(NS)).objects).includes('watched-by-serve')
        ? true
        : undefined,
    );
    // Not the fallback to timed reads: no watch was refused.
    expect(lines.filter((l) => /cannot watch|grant "watch"/.test(l))).toEqual([]);
    context.close?.();
  });
});
