// The README's scan example, replayed on the real control plane: the node of examples/scan/nodes.yaml,
// the manifests of examples/scan/shop.yaml, the real controllers' status, then `kubeha scan` must print
// what the README shows. Only the object count is left out of the comparison: it includes cluster-wide
// objects (namespaces, API services) that other tests create and delete.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, kubeRequest, loadKubeconfig, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { deleteNodes, kubeconfigPath, readTopology } from '../../tools/cluster/nodes.mjs';
import { ROOT, run } from '../cli/run.js';
import { createAll, schedulableNodes, until, waitPodsReady, type Obj } from './support.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const block = [
  ...readme.matchAll(/```console\n(\$ kubectl apply -f (\S+)\n\$ kubeha (scan[^\n]*)\n)([\s\S]*?)```/g),
][0];
const sameCounts = (s: string): string => s.replace(/ in \d+ objects/, ' in N objects');

describe("README's kubeha scan example", () => {
  const kubeconfig = kubeconfigPath();
  let kc: Kubeconfig;
  const nodes = readTopology(readFileSync(join(ROOT, 'examples/scan/nodes.yaml'), 'utf8'));

  beforeAll(async () => {
    if (!existsSync(kubeconfig)) throw new Error(`no kubeconfig at ${kubeconfig}: run 'npm run cluster:up'`);
    kc = loadKubeconfig(kubeconfig);
    await schedulableNodes(kc, nodes);
    await createAll(kc, readFileSync(join(ROOT, block![2]!), 'utf8'));
    await waitPodsReady(kc, 'shop', 3);
    // What scan reads from the controllers: the PDB's status and the HPA's conditions.
    await until('the PDB status', 60_000, async () => {
      const { body } = await kubeCall(kc, 'GET', '/apis/policy/v1/namespaces/shop/poddisruptionbudgets/web');
      return body.status?.currentHealthy === 3 ? body : undefined;
    });
    await until('the HPA conditions', 90_000, async () => {
      const { body } = await kubeCall(
        kc,
        'GET',
        '/apis/autoscaling/v2/namespaces/shop/horizontalpodautoscalers/web',
      );
      return (body.status?.conditions ?? []).some((c: Obj) => c.type === 'ScalingActive') ? body : undefined;
    });
  });

  afterAll(async () => {
    if (!kc) return;
    await kubeRequest(kc, 'DELETE', '/api/v1/namespaces/shop');
    // Gone before the next test file runs: a namespace still Terminating refuses new objects.
    await until('namespace shop deleted', 120_000, async () =>
      (await kubeRequest(kc, 'GET', '/api/v1/namespaces/shop')).status === 404 ? true : undefined,
    );
    await deleteNodes(
      kc,
      nodes.map((n) => n.metadata.name),
    );
  });

  it('is in the README', () => expect(block).toBeDefined());

  it('prints what the README shows, with its exit code', async () => {
    const [, , , command, shown] = block!;
    const exit = /^# exit (\d+)$/m.exec(shown!);
    const expected = shown!.replace(/^# exit \d+\n?/m, '');
    const r = await run([...command!.split(/\s+/), '--kubeconfig', kubeconfig]);
    // KUBEHA_README_UPDATE=1 writes what scan printed into the README (npm run readme does the same for
    // the blocks it can replay without a cluster); the comparison below then holds by construction.
    if (process.env['KUBEHA_README_UPDATE'] === '1') {
      const now = readFileSync(join(ROOT, 'README.md'), 'utf8');
      writeFileSync(join(ROOT, 'README.md'), now.replace(shown!, shown!.replace(expected, r.stdout)));
      expect(r.stdout).not.toBe('');
      return;
    }
    expect(sameCounts(r.stdout)).toBe(sameCounts(expected));
    expect(r.code).toBe(exit ? Number(exit[1]) : 0);
  });
});
