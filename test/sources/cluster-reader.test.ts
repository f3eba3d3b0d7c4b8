import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/model/types.js';
import { ApiError } from '../../src/sources/cluster-client.js';
import { explainFailure, SCANNED, toObject } from '../../src/sources/cluster-reader.js';

const type = (kind: string) => SCANNED.find((t) => t.kind === kind)!;

describe('toObject: a list item as scan hands it to the rules', () => {
  it('puts apiVersion and kind back (list items lack them) and drops server bookkeeping', () => {
    const o = toObject(
      {
        metadata: {
          name: 'web',
          namespace: 'shop',
          managedFields: [{ manager: 'kubectl' }],
          annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{…}', team: 'a' },
        },
        spec: { replicas: 3 },
        status: { readyReplicas: 3 },
      },
      type('Deployment'),
      'v1',
    );
    expect(o).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' });
    expect(o.id).toBe('shop/Deployment/web');
    expect(o.raw['metadata']).toEqual({ name: 'web', namespace: 'shop', annotations: { team: 'a' } });
    // What they said about who set which field is kept as a digest.
    expect(o.fieldOwners).toEqual({ tracked: true, spec: {} });
    expect(o.raw['status']).toEqual({ readyReplicas: 3 });
    expect(o.source).toBeUndefined();
  });

  it('core kinds get apiVersion v1, cluster-scoped ones no namespace', () => {
    const node = toObject({ metadata: { name: 'n1' } }, type('Node'), 'v1');
    expect(node).toMatchObject({ apiVersion: 'v1', kind: 'Node', namespace: '', id: 'Node/n1' });
    expect(node.fieldOwners).toBeUndefined();
  });

  it('keeps who owns replicas on Deployments an HPA scaled (as the API server listed them)', () => {
    const items = JSON.parse(
      readFileSync(join(import.meta.dirname, 'fixtures/hpa-scaled.json'), 'utf8'),
    ) as JsonObject[];
    const owners = Object.fromEntries(
      items
        .filter((i) => i['kind'] === 'Deployment')
        .map((i) => toObject(i, type('Deployment'), 'v1'))
        .map((o) => [o.name, o.fieldOwners?.spec['replicas']?.map((m) => m.manager) ?? []]),
    );
    expect(owners).toEqual({
      created: ['kube-controller-manager'],
      csa: ['kube-controller-manager'],
      csa3: ['kubectl-client-side-apply'],
      web: [],
    });
  });
});

describe('explainFailure: one line that says what to grant', () => {
  it('403 names the resource, the scope and the verb', () => {
    expect(explainFailure(type('PodDisruptionBudget'), 'v1', undefined, new ApiError(403, 'forbidden'))).toBe(
      'cannot list poddisruptionbudgets.policy in all namespaces (403 Forbidden): grant "list" on ' +
        'poddisruptionbudgets.policy (deploy/rbac.yaml has every permission scan uses); rules that need ' +
        'PodDisruptionBudget objects are skipped',
    );
    expect(explainFailure(type('Node'), 'v1', 'shop', new ApiError(403, 'x'))).toMatch(
      /^cannot list nodes \(403 Forbidden\): grant "list" on nodes /,
    );
  });

  it('404 says which API is not served', () => {
    expect(explainFailure(type('HorizontalPodAutoscaler'), 'v2', undefined, new ApiError(404, 'x'))).toMatch(
      /^horizontalpodautoscalers\.autoscaling: autoscaling\/v2 is not served \(404\)/,
    );
  });
});

describe('SCANNED', () => {
  it('never reads Secrets or ConfigMaps', () => {
    expect(SCANNED.map((t) => t.plural)).not.toContain('secrets');
    expect(SCANNED.map((t) => t.plural)).not.toContain('configmaps');
  });
});
