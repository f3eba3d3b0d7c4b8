// The conformance suite: kubeha's "the API server rejects this" against the real API server, object
// by object, on every manifest the repository ships and on generated mutations of valid objects
// (test/conformance/). `npm run conformance` also rewrites docs/conformance.md with the counts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiStatus, DEPRECATED_APIS } from '../../src/model/deprecated-apis.js';
import { kubeCall, kubeRequest, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { kubeconfigPath } from '../../tools/cluster/nodes.mjs';
import { serverVerdicts, type ServerVerdict } from '../conformance/apiserver.js';
import { NAMESPACE } from '../conformance/bases.js';
import { seedCorpus, type CorpusItem } from '../conformance/corpus.js';
import { mutationCorpus } from '../conformance/mutate.js';
import { agrees, conformanceReport, describeDisagreement, type Outcome } from '../conformance/report.js';
import { kubehaCliVerdict, kubehaVerdict, TARGET_KUBE_VERSION } from '../conformance/verdict.js';
import { e2eKubeconfig, until, type Obj } from './support.js';

const KUBECTL = fileURLToPath(new URL('../../tools/cluster/bin/kubectl', import.meta.url));
const BATCH = 40;
const PARALLEL = 2;

/** The document as kubectl would see its top level, leniently (undefined when it is not a mapping). */
function lenient(text: string): Obj | undefined {
  try {
    const v: unknown = parseDocument(text, { version: '1.1' }).toJS();
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const groupOf = (apiVersion: unknown): string | undefined =>
  typeof apiVersion !== 'string' ? undefined : apiVersion.includes('/') ? apiVersion.split('/')[0] : '';

/** Pod specs of an object, where the names of ServiceAccounts and PriorityClasses are. */
function podSpecs(o: Obj): Obj[] {
  const s = o?.spec;
  if (!s || typeof s !== 'object') return [];
  if (o.kind === 'Pod') return [s];
  return [s.template?.spec, s.jobTemplate?.spec?.template?.spec].filter((x) => x && typeof x === 'object');
}

describe('conformance: kubeha and the real API server agree on what it rejects', () => {
  let kc: Kubeconfig;
  let dir: string;
  const items: CorpusItem[] = [...seedCorpus(), ...mutationCorpus(1)];
  const files = new Map<string, CorpusItem>();
  const createdNamespaces: string[] = [];
  const createdPriorityClasses: string[] = [];
  let servedGroups = new Set<string>();
  let kubernetes = '';

  beforeAll(async () => {
    kc = e2eKubeconfig().kc;
    kubernetes = (await kubeCall(kc, 'GET', '/version')).body.gitVersion;
    const apis = (await kubeCall(kc, 'GET', '/apis')).body;
    servedGroups = new Set(['', ...apis.groups.map((g: Obj) => g.name as string)]);

    dir = mkdtempSync(join(tmpdir(), 'kubeha-conformance-'));
    for (const item of items) {
      const file = join(dir, `${item.id}.yaml`);
      writeFileSync(file, item.text);
      files.set(file, item);
    }

    // What the objects take for granted: their namespaces, and the ServiceAccounts and PriorityClasses
    // their pods name (admission refuses a Pod whose ServiceAccount or PriorityClass does not exist).
    const namespaces = new Set([NAMESPACE]);
    const accounts = new Set<string>();
    const priorities = new Set<string>();
    for (const item of items) {
      const o = lenient(item.text);
      const ns = o?.metadata?.namespace;
      if (typeof ns === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns)) namespaces.add(ns);
      for (const spec of podSpecs(o)) {
        const sa = spec.serviceAccountName ?? spec.serviceAccount;
        if (o.kind === 'Pod' && typeof sa === 'string' && sa !== 'default')
          accounts.add(`${typeof ns === 'string' ? ns : 'default'}/${sa}`);
        if (typeof spec.priorityClassName === 'string' && !spec.priorityClassName.startsWith('system-'))
          priorities.add(spec.priorityClassName);
      }
    }
    for (const ns of namespaces) {
      // A namespace another test file deleted may still be Terminating, and would refuse every object.
      await until(`namespace ${ns} not terminating`, 120_000, async () => {
        const got = await kubeRequest(kc, 'GET', `/api/v1/namespaces/${ns}`);
        return got.status === 404 || got.body?.status?.phase !== 'Terminating' ? true : undefined;
      });
      const r = await kubeRequest(kc, 'POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns },
      });
      if (r.status === 201) createdNamespaces.push(ns);
    }
    for (const ns of namespaces)
      await until(`the default ServiceAccount of ${ns}`, 60_000, async () => {
        const r = await kubeRequest(kc, 'GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`);
        return r.status === 200 ? true : undefined;
      });
    for (const key of accounts) {
      const [ns, name] = key.split('/') as [string, string];
      if (!namespaces.has(ns) && ns !== 'default') continue;
      await kubeRequest(kc, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts`, {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name },
      });
    }
    // A PriorityClass the corpus defines itself is created as defined: applying the definition again
    // is then a no-op, where a different value would be refused ("may not be changed in an update").
    const definitions = new Map<string, Obj>();
    for (const item of items) {
      const o = lenient(item.text);
      if (
        o?.kind === 'PriorityClass' &&
        o.apiVersion === 'scheduling.k8s.io/v1' &&
        typeof o.metadata?.name === 'string'
      )
        if (!definitions.has(o.metadata.name)) definitions.set(o.metadata.name, o);
    }
    for (const name of priorities) {
      const r = await kubeRequest(
        kc,
        'POST',
        '/apis/scheduling.k8s.io/v1/priorityclasses',
        // Never a second globalDefault: the API server would then refuse every other default class.
        definitions.has(name)
          ? { ...definitions.get(name), globalDefault: false }
          : {
              apiVersion: 'scheduling.k8s.io/v1',
              kind: 'PriorityClass',
              metadata: { name },
              value: 1000,
            },
      );
      if (r.status === 201) createdPriorityClasses.push(name);
    }
  });

  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (!kc) return;
    for (const ns of createdNamespaces) await kubeRequest(kc, 'DELETE', `/api/v1/namespaces/${ns}`);
    // Gone before the next test file runs: a namespace still Terminating refuses new objects.
    for (const ns of createdNamespaces)
      await until(`namespace ${ns} deleted`, 90_000, async () =>
        (await kubeRequest(kc, 'GET', `/api/v1/namespaces/${ns}`)).status === 404 ? true : undefined,
      );
    for (const pc of createdPriorityClasses)
      await kubeRequest(kc, 'DELETE', `/apis/scheduling.k8s.io/v1/priorityclasses/${pc}`);
  });

  it('the table of removed versions says "not served" exactly where the API server serves no such kind', async () => {
    const kindsByGroupVersion = new Map<string, Set<string>>();
    const served = async (gv: string): Promise<Set<string>> => {
      let kinds = kindsByGroupVersion.get(gv);
      if (!kinds) {
        const r = await kubeRequest(kc, 'GET', gv === 'v1' ? '/api/v1' : `/apis/${gv}`);
        kinds = new Set(r.status === 200 ? (r.body.resources as Obj[]).map((x) => x.kind as string) : []);
        kindsByGroupVersion.set(gv, kinds);
      }
      return kinds;
    };
    const wrong: string[] = [];
    for (const api of DEPRECATED_APIS.filter((a) => a.component === 'kubernetes')) {
      const status = apiStatus(api, TARGET_KUBE_VERSION);
      const isServed = (await served(api.apiVersion)).has(api.kind);
      const saysServed = status === 'served' || status === 'deprecated';
      if (isServed !== saysServed)
        wrong.push(
          `${api.apiVersion} ${api.kind}: kubeha says ${status}, the API server ${isServed ? 'serves it' : 'does not'}`,
        );
    }
    expect(wrong).toEqual([]);
  });

  it(`agrees with the API server on every one of at least 1 000 objects (kubeha judging for ${TARGET_KUBE_VERSION})`, async () => {
    // A kind the cluster does not serve is out of scope only when no Kubernetes release served its group:
    // a custom resource without its CRD. A built-in kind on a removed version is a rejection.
    const kubernetesGroups = new Set([
      ...servedGroups,
      ...DEPRECATED_APIS.filter((a) => a.component === 'kubernetes').map((a) => groupOf(a.apiVersion)!),
    ]);
    const outOfScope = (file: string): boolean => {
      const group = groupOf(lenient(files.get(file)!.text)?.apiVersion);
      return group !== undefined && !kubernetesGroups.has(group);
    };

    let t = performance.now();
    const server = await serverVerdicts([...files.keys()], {
      kubectl: KUBECTL,
      kubeconfig: kubeconfigPath(),
      batch: BATCH,
      parallel: PARALLEL,
      outOfScope,
      alone: (file) => /List$/.test(String(lenient(files.get(file)!.text)?.kind ?? '')),
    });
    const kubectlSeconds = (performance.now() - t) / 1000;

    t = performance.now();
    // kubectl names the files by their temporary path: the report names them by the item alone.
    const untmp = (v: ServerVerdict): ServerVerdict => ({
      ...v,
      message: v.message.split(`${dir}/`).join(''),
    });
    const outcomes: Outcome[] = [...files].map(([file, item]) => ({
      item,
      server: untmp(server.get(file)!),
      kubeha: kubehaVerdict(item.text, file),
    }));
    const kubehaSeconds = (performance.now() - t) / 1000;

    const report = conformanceReport(outcomes, {
      kubernetes,
      kubectlSeconds,
      kubehaSeconds,
      batch: BATCH,
      parallel: PARALLEL,
    });
    const out = process.env['KUBEHA_CONFORMANCE_REPORT'];
    if (out) writeFileSync(out, report);

    const judged = outcomes.filter((o) => o.server.verdict !== 'excluded');
    const disagreements = judged.filter((o) => !agrees(o));
    if (disagreements.length > 0)
      console.log(
        `${disagreements.length} of ${judged.length} objects disagree:\n\n${disagreements.map(describeDisagreement).join('\n\n')}`,
      );
    console.log(
      `conformance: ${outcomes.length} objects, ${judged.length} judged, ${judged.length - disagreements.length} agree; kubectl ${kubectlSeconds.toFixed(1)} s, kubeha ${kubehaSeconds.toFixed(1)} s`,
    );

    // The library's verdict is the command line's: every tenth file through `kubeha check`.
    const cliDiffers: string[] = [];
    for (const [i, [file, item]] of [...files].entries()) {
      if (i % 10 !== 0) continue;
      const cli = await kubehaCliVerdict(file, dir);
      const lib = outcomes[i]!.kubeha.verdict;
      if (cli !== lib) cliDiffers.push(`${item.id}: kubeha check says ${cli}, the library ${lib}`);
    }
    expect(cliDiffers).toEqual([]);

    expect(outcomes.every((o) => o.server !== undefined)).toBe(true);
    // A dry run against an object that already exists is a patch, judged against what the cluster holds
    // (an immutable selector, a PriorityClass value): not the manifest alone. Only objects the suite set
    // up itself may exist; anything else was left by another test.
    const prepared = (o: Outcome): boolean =>
      ['Namespace', 'PriorityClass'].includes(lenient(o.item.text)?.kind);
    expect(
      outcomes
        .filter((o) => o.server.message.includes('error when patching') && !prepared(o))
        .map((o) => o.item.id),
      'objects that already existed in the cluster',
    ).toEqual([]);
    expect(judged.length).toBeGreaterThanOrEqual(1000);
    expect(outcomes.flatMap((o) => o.kubeha.errors.map((e) => `${o.item.id}: ${e}`))).toEqual([]);
    expect(disagreements.map((o) => o.item.id)).toEqual([]);
  }, 300_000);
});
