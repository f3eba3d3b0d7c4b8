/**
 * Finds cluster add-ons (a service mesh, a monitoring stack, the VPA recommender) by what their usual
 * installs leave in the API: controller workloads with well-known names or labels, and their CRDs.
 * Detection is by evidence, never by absence of proof: callers check that the kinds were listed.
 */
import { getAt } from './json-path.js';
import { stringMap, type Labels } from './labels.js';
import type { ObjectIndex } from './object-index.js';
import type { K8sObject } from './types.js';
import { crdNames } from './live.js';

export interface AddonSignature {
  /** "Istio", as messages name it. */
  addon: string;
  workloads?: {
    kinds: readonly string[];
    /** `istiod` also matches `istiod-1-22` and `prod-istiod` (revisions and Helm release prefixes). */
    names?: readonly string[];
    /** Any of these label sets, on the object or its pod template. */
    labels?: readonly Labels[];
    /** Only in this namespace (a generic name such as fluent-bit means the add-on only there). */
    namespace?: string;
  };
  /** CRD names; `*.linkerd.io` is any CRD of that group or its subgroups. */
  crds?: readonly string[];
}

export interface Detection {
  addon: string;
  /** "Deployment istio-system/istiod", "CRD virtualservices.networking.istio.io". */
  evidence: string;
}

/** The kinds a set of signatures looks in: their absence proves something only when all were listed. */
export function kindsSearched(signatures: readonly AddonSignature[]): string[] {
  const kinds = new Set<string>();
  for (const s of signatures) {
    for (const k of s.workloads?.kinds ?? []) kinds.add(k);
    if (s.crds?.length) kinds.add('CustomResourceDefinition');
  }
  return [...kinds];
}

/** Every signature with evidence in the index, with the first piece of evidence found. */
export function detectAddons(index: ObjectIndex, signatures: readonly AddonSignature[]): Detection[] {
  const out: Detection[] = [];
  for (const s of signatures) {
    const evidence = workloadEvidence(index, s) ?? crdEvidence(index, s);
    if (evidence) out.push({ addon: s.addon, evidence });
  }
  return out;
}

function workloadEvidence(index: ObjectIndex, s: AddonSignature): string | undefined {
  const o = matchingWorkloads(index, s)[0];
  return o ? `${o.kind} ${o.namespace}/${o.name}` : undefined;
}

/** The controller workloads that match a signature's names or labels. */
export function matchingWorkloads(index: ObjectIndex, s: AddonSignature): K8sObject[] {
  const w = s.workloads;
  if (!w) return [];
  return index
    .ofKind(...w.kinds)
    .filter(
      (o) =>
        (w.namespace === undefined || o.namespace === w.namespace) &&
        (w.names?.some((n) => nameMatches(o.name, n)) || w.labels?.some((l) => labelsMatch(o, l))),
    );
}

function crdEvidence(index: ObjectIndex, s: AddonSignature): string | undefined {
  if (!s.crds) return undefined;
  const installed = crdNames(index);
  for (const pattern of s.crds) {
    if (!pattern.startsWith('*.')) {
      if (installed.has(pattern)) return `CRD ${pattern}`;
      continue;
    }
    const group = pattern.slice(1);
    for (const name of installed) if (name.endsWith(group)) return `CRD ${name}`;
  }
  return undefined;
}

function nameMatches(name: string, wanted: string): boolean {
  return name === wanted || name.startsWith(`${wanted}-`) || name.endsWith(`-${wanted}`);
}

function labelsMatch(o: K8sObject, wanted: Labels): boolean {
  const own = stringMap(getAt(o.raw, '/metadata/labels'));
  const template = stringMap(getAt(o.raw, '/spec/template/metadata/labels'));
  const entries = Object.entries(wanted);
  return entries.every(([k, v]) => own[k] === v) || entries.every(([k, v]) => template[k] === v);
}

/** "Istio (Deployment istiod, label app=istiod, CRD virtualservices.networking.istio.io)": what was looked for. */
export function describeSignature(s: AddonSignature): string {
  const parts: string[] = [];
  const w = s.workloads;
  if (w) {
    const where = w.namespace ? ` in ${w.namespace}` : '';
    if (w.names?.length) parts.push(`${w.kinds.join('/')} ${w.names.join(' or ')}${where}`);
    for (const l of w.labels ?? [])
      parts.push(
        `label ${Object.entries(l)
          .map(([k, v]) => `${k}=${v}`)
          .join(',')}`,
      );
  }
  if (s.crds?.length) parts.push(`CRD ${s.crds.join(' or ')}`);
  return `${s.addon} (${parts.join(', ')})`;
}

/** "A (…), B (…) and C (…)". */
export function describeSignatures(signatures: readonly AddonSignature[]): string {
  const items = signatures.map(describeSignature);
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}
