// serve's reads of a namespace, against the real API server: a review whose findings rest on the
// namespace is confirmed on a read that started after it arrived, and the reviews that arrive while
// one read is under way share the next one instead of starting a read each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, loadKubeconfig, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { kubeconfigPath } from '../../tools/cluster/nodes.mjs';
import { cachedContext } from '../../src/serve/context.js';
import { connect, type ClusterClient } from '../../src/sources/cluster-client.js';
import { dropNamespace, freshNamespace } from './support.js';

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
const PDBS = `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets`;

/**
 * The real client, counting the namespace reads it makes (each starts with discovery, GET /apis) and
 * holding every request while `held` is set: a read is then under way for as long as the test says.
 */
function counted(real: ClusterClient) {
  let release: () => void = () => undefined;
  const state = { reads: 0, held: undefined as Promise<void> | undefined };
  const wrapped: ClusterClient = {
    ...real,
    get: async (path) => {
      if (path === '/apis') state.reads++;
      if (state.held) await state.held;
      return real.get(path);
    },
  };
  return {
    client: wrapped,
    state,
    hold: () => void (state.held = new Promise<void>((r) => (release = r))),
    release: () => {
      state.held = undefined;
      release();
    },
  };
}

const pdbNames = (objects: readonly { kind: string; name: string }[]) =>
  objects.filter((o) => o.kind === 'PodDisruptionBudget').map((o) => o.name);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('serve: reads of a namespace', () => {
  beforeAll(async () => {
    kc = loadKubeconfig(kubeconfig);
    client = await connect({ kubeconfig });
    await freshNamespace(kc, NS);
  });
  afterAll(() => dropNamespace(kc, NS));

  it('reviews that arrive during a read share the one read that starts after it, and see what was there when they arrived', async () => {
    const c = counted(client);
    const context = cachedContext(c.client, 10_000);
    c.hold();
    // A read under way (a review judged on the cache found nothing in it yet).
    const first = context.contextOf(NS);
    // Eight reviews arrive one after another while it is held, each after a PDB is created.
    const confirmed: ReturnType<typeof context.contextOf>[] = [];
    const arrivals: number[] = [];
    for (let i = 0; i < 8; i++) {
      await kubeCall(kc, 'POST', PDBS, pdb(`app-${i}`));
      await sleep(3);
      arrivals.push(Date.now());
      confirmed.push(context.contextOf(NS, arrivals[i]));
    }
    c.release();
    await first;
    const answers = await Promise.all(confirmed);
    // One read for the eight (the read per review that came before made eight, all at once).
    expect(c.state.reads).toBe(2);
    answers.forEach((a, i) => {
      expect(a.readAt).toBeGreaterThanOrEqual(arrivals[i]!);
      expect(pdbNames(a.objects).sort()).toEqual(Array.from({ length: 8 }, (_, j) => `app-${j}`));
    });
    // It replaced the cached read: a review judged on the cache now gets it.
    expect(await context.contextOf(NS)).toBe(answers[0]);
  });

  it('a review that arrives after a change is confirmed on a read that sees it, cached or not', async () => {
    const c = counted(client);
    const context = cachedContext(c.client, 10_000);
    const before = await context.contextOf(NS);
    expect(pdbNames(before.objects)).toContain('app-0');
    await kubeCall(kc, 'DELETE', `${PDBS}/app-0`);
    await sleep(2);
    // Within the 10 s, a review judged on the cache still gets the read made before the delete...
    expect(await context.contextOf(NS)).toBe(before);
    // ...and one confirmed gets a new read, without the deleted PDB.
    const arrived = Date.now();
    const after = await context.contextOf(NS, arrived);
    expect(after.readAt).toBeGreaterThanOrEqual(arrived);
    expect(pdbNames(after.objects)).not.toContain('app-0');
    expect(c.state.reads).toBe(2);
  });
});
