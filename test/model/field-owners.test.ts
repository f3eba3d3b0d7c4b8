// Who set a field, on objects the test control plane (Kubernetes v1.36.5) really returned: Deployments
// applied without replicas (client-side and server-side kubectl apply, kubectl create) and one with
// replicas: 3, each scaled to 3 by an HPA with minReplicas 3 (test/sources/fixtures/hpa-scaled.json),
// and the objects a validating webhook received on their CREATE (test/serve/fixtures).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fieldOwnersOf, specFieldIntent, userSetsSpecField } from '../../src/model/field-owners.js';
import type { JsonObject, K8sObject } from '../../src/model/types.js';

const here = import.meta.dirname;
const listed = JSON.parse(
  readFileSync(join(here, '../sources/fixtures/hpa-scaled.json'), 'utf8'),
) as JsonObject[];
const reviewed = JSON.parse(
  readFileSync(join(here, '../serve/fixtures/admission-creates.json'), 'utf8'),
) as Record<string, { object: JsonObject }>;

const live = (name: string): JsonObject =>
  listed.find((o) => o['kind'] === 'Deployment' && (o['metadata'] as JsonObject)['name'] === name)!;
const asObject = (raw: JsonObject): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  name: 'x',
  namespace: 'ns',
  id: 'ns/Deployment/x',
  raw,
  ...(fieldOwnersOf(raw) ? { fieldOwners: fieldOwnersOf(raw)! } : {}),
});
const intent = (raw: JsonObject, field = 'replicas'): string => {
  const spec = raw['spec'] as JsonObject;
  return specFieldIntent(fieldOwnersOf(raw)!, field, spec[field], 1);
};

describe('fieldOwnersOf: the digest of managedFields and the last-applied configuration', () => {
  it('maps each top-level spec field to its managers, and keeps the last-applied spec keys', () => {
    const owners = fieldOwnersOf(live('csa'))!;
    expect(owners.tracked).toBe(true);
    expect(owners.spec['replicas']).toEqual([
      { manager: 'kube-controller-manager', operation: 'Update', subresource: 'scale' },
    ]);
    expect(owners.spec['strategy']).toEqual([{ manager: 'kubectl-client-side-apply', operation: 'Update' }]);
    expect(owners.lastAppliedSpec).toEqual(['selector', 'template']);
  });

  it('is undefined for a manifest, and survives records that are not what they should be', () => {
    expect(fieldOwnersOf({ metadata: { name: 'a' }, spec: { replicas: 3 } })).toBeUndefined();
    const odd = fieldOwnersOf({
      metadata: {
        managedFields: [null, { manager: 7 }, { manager: 'm', fieldsV1: { 'f:spec': 'x' } }],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{not json' },
      },
    });
    expect(odd).toEqual({ tracked: true, spec: {} });
  });
});

describe('specFieldIntent on live objects scaled by an HPA', () => {
  it('client-side apply without replicas: the last-applied configuration says it is not the user’s', () => {
    expect(intent(live('csa'))).toBe('not-user');
  });
  it('client-side apply with replicas: 3: the user’s', () => {
    expect(intent(live('csa3'))).toBe('user');
  });
  it('server-side apply without replicas: no manager owns it (the API server default, then the HPA)', () => {
    expect(intent(live('web'))).toBe('not-user');
  });
  it('kubectl create without replicas, scaled by the HPA: the scale subresource owns it', () => {
    expect(intent(live('created'))).toBe('not-user');
  });
  it('the defaults the creating apply was credited with are not the user’s either', () => {
    expect(intent(live('csa'), 'revisionHistoryLimit')).toBe('not-user');
    expect(intent(live('csa3'), 'template')).toBe('user');
  });
});

describe('specFieldIntent on the objects a validating webhook receives (defaults already filled)', () => {
  it('replicas: 1 filled by the API server is not the user’s; replicas: 3 applied is', () => {
    expect(reviewed['csa']!.object['spec']).toMatchObject({ replicas: 1 });
    expect(intent(reviewed['csa']!.object)).toBe('not-user');
    expect(intent(reviewed['ssa']!.object)).toBe('not-user');
    expect(intent(reviewed['csa3']!.object)).toBe('user');
  });
  it('kubectl create credits its manager with the default: 1 cannot be told from a written 1', () => {
    expect(intent(reviewed['created']!.object)).toBe('unknown');
    expect(userSetsSpecField(asObject(reviewed['created']!.object), 'replicas', 1)).toBe(false);
    const three = structuredClone(reviewed['created']!.object);
    (three['spec'] as JsonObject)['replicas'] = 3;
    expect(userSetsSpecField(asObject(three), 'replicas', 1)).toBe(true);
  });
  it('a manifest (no records) sets what it writes', () => {
    expect(userSetsSpecField(asObject({ spec: { replicas: 1 } }), 'replicas', 1)).toBe(true);
    expect(userSetsSpecField(asObject({ spec: {} }), 'replicas', 1)).toBe(false);
  });
});
