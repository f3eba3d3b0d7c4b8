import { check, severityAtLeast, type RuleConfig } from '../engine/check.js';
import { fieldOwnersOf } from '../model/field-owners.js';
import { objectId } from '../model/kinds.js';
import { ObjectIndex } from '../model/object-index.js';
import { cutAtWord } from '../model/text.js';
import { isJsonObject, refOf, type JsonObject, type K8sObject } from '../model/types.js';
import type { Workload } from '../model/workload.js';
import { DOCS_BASE_URL, ruleDocUrl } from '../model/doc-url.js';
import type { AnyRule, Finding, Severity } from '../rules/types.js';
import { joinedKinds, joinsOf } from './context-joins.js';

/** The part of an AdmissionReview (admission.k8s.io/v1) request the webhook reads. */
export interface AdmissionRequest {
  uid: string;
  operation: string;
  namespace: string;
  object: JsonObject | undefined;
}

/** What the webhook answers (AdmissionReview.response). */
export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  warnings?: string[];
  status?: { code: number; message: string };
}

export interface AdmitSettings {
  /** The rules to run (static ones: the live and simulator rules have nothing to read here). */
  rules: readonly AnyRule[];
  /** Findings at or above this severity deny the request; `none` only warns. */
  denyOn: Severity | 'none';
  ruleConfig?: Record<string, RuleConfig>;
  kubeVersion?: string;
  zones?: number;
}

export interface Admission {
  response: AdmissionResponse;
  /** The findings about the object under review that it is warned of. */
  findings: Finding[];
  /** Those that deny it. */
  denied: Finding[];
  /**
   * Findings left to the periodic scan: on CREATE, those of rules that read meaning into another
   * object's absence (`needs`) that the object gets even judged alone, so the object that excuses
   * them (its HPA, its PDB) may still come in the same `kubectl apply -f dir/`.
   */
  deferred: Finding[];
  /**
   * Some finding rests on the namespace's objects (what is there, or what is not): judged on a
   * cached context, it must be confirmed on a fresh read, so that an HPA deleted or a PDB created a
   * moment ago does not make the object look wrong.
   */
  fromContext: boolean;
  /** The kinds whose objects can change these findings (undefined: every kind). */
  joinedKinds?: ReadonlySet<string>;
}

/**
 * Reads an AdmissionReview body; a string says why it is not one (the webhook answers 400). Only v1
 * is accepted: the webhook configuration asks for it (admissionReviewVersions: [v1]).
 */
export function parseReview(body: unknown): AdmissionRequest | string {
  if (!isJsonObject(body)) return 'the body is not a JSON object';
  if (body['apiVersion'] !== 'admission.k8s.io/v1' || body['kind'] !== 'AdmissionReview')
    return 'expected an admission.k8s.io/v1 AdmissionReview';
  const request = body['request'];
  if (!isJsonObject(request) || typeof request['uid'] !== 'string') return 'the review has no request.uid';
  const object = request['object'];
  return {
    uid: request['uid'],
    operation: typeof request['operation'] === 'string' ? request['operation'] : '',
    namespace: typeof request['namespace'] === 'string' ? request['namespace'] : '',
    object: isJsonObject(object) ? object : undefined,
  };
}

/** The AdmissionReview the API server expects back. */
export function reviewResponse(response: AdmissionResponse): JsonObject {
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { ...response } };
}

/**
 * Admits one object: the rules run on it together with its namespace's objects (`context`, as read
 * from the cluster), and the findings about it come back as warnings, which kubectl prints.
 *
 * An admission webhook sees one object at a time, in the order the client sends them: `kubectl apply
 * -f dir/` creates the Deployment before its PodDisruptionBudget and HPA, and waits for each answer
 * before sending the next object. On CREATE, a finding of a rule with `needs` (it reads meaning into
 * an absence) that the object gets even when judged alone may be untrue a moment later: it is
 * deferred to the periodic scan, which sees the namespace after the apply. Findings at or above
 * `denyOn` deny, except those of rules with `needs`, which only warn.
 */
export function admit(
  request: AdmissionRequest,
  context: readonly K8sObject[],
  settings: AdmitSettings,
): Admission {
  const allow = (warnings: string[] = []): Admission => ({
    response: { uid: request.uid, allowed: true, ...(warnings.length ? { warnings } : {}) },
    findings: [],
    denied: [],
    deferred: [],
    fromContext: false,
  });
  if ((request.operation !== 'CREATE' && request.operation !== 'UPDATE') || !request.object) return allow();
  const incoming = toObject(request.object, request.namespace);
  if (!incoming) return allow();
  // A controller's pods are admitted with their controller: its template was checked then.
  if (ownedByController(request.object)) return allow();
  const about = aboutObject(incoming, settings);
  // The context's joins are indexed once per read: a workload is related to the few objects that can
  // join it, not to an index of the whole namespace built for every review.
  const joins = joinsOf(context);
  const all = about(related(incoming, joins.candidates(incoming) ?? joins.everything(incoming)));
  // What the object gets judged alone tells which findings rest on the namespace: with no finding
  // there is nothing to tell apart (a correct object is answered with one check, not two).
  const alone = new Set(all.length === 0 ? [] : about([incoming]).map((f) => f.rule));
  const needs = new Map(settings.rules.map((r) => [r.id, r.needs ?? []]));
  const readsAbsence = (f: Finding): boolean => (needs.get(f.rule) ?? []).length > 0;
  // On CREATE the objects that would excuse it may come next in the same apply; on UPDATE they had
  // their chance (a fresh read confirms the finding).
  const deferred =
    request.operation === 'CREATE' ? all.filter((f) => readsAbsence(f) && alone.has(f.rule)) : [];
  const findings = all.filter((f) => !deferred.includes(f));
  const fromContext = findings.some((f) => readsAbsence(f) || !alone.has(f.rule));
  const denied = findings.filter(
    (f) => settings.denyOn !== 'none' && severityAtLeast(f.severity, settings.denyOn) && !readsAbsence(f),
  );
  const warnings = findings.map(warning);
  const kinds = joinedKinds(incoming);
  const judged = { findings, deferred, fromContext, ...(kinds ? { joinedKinds: kinds } : {}) };
  if (denied.length === 0) return { ...allow(warnings), ...judged };
  return {
    response: {
      uid: request.uid,
      allowed: false,
      warnings,
      status: {
        code: 403,
        message: `kubeha: ${denied.map(denial).join('\n')}`,
      },
    },
    ...judged,
    denied,
  };
}

/** The rules' findings about `incoming` among `objects`. */
function aboutObject(incoming: K8sObject, settings: AdmitSettings): (objects: K8sObject[]) => Finding[] {
  const ref = refOf(incoming);
  return (objects) =>
    check(objects, {
      rules: settings.rules,
      ...(settings.ruleConfig ? { ruleConfig: settings.ruleConfig } : {}),
      ...(settings.kubeVersion !== undefined ? { kubeVersion: settings.kubeVersion } : {}),
      ...(settings.zones !== undefined ? { zones: settings.zones } : {}),
    }).findings.filter(
      (f) =>
        f.object?.kind === ref.kind &&
        f.object.name === ref.name &&
        f.object.namespace === ref.namespace &&
        f.object.apiVersion === ref.apiVersion,
    );
}

/** The Kubernetes API asks that an admission warning be at most 120 characters where possible. */
export const WARNING_MAX = 120;

/**
 * One admission warning per finding: the severity, the rule and the headline, at most WARNING_MAX
 * characters. The prefix can push a full-length headline past it: then its longest word (a long
 * object name) is shortened in the middle, so the warning still names the object, and what is still
 * too long is cut at a word. The detail does not fit a warning: `kubeha explain <rule>` and the
 * rule's page (ruleDocUrl) have it.
 */
export function warning(f: Finding): string {
  return cutAtWord(
    shortenLongestWord(`kubeha ${f.severity} ${f.rule}: ${f.message}`, WARNING_MAX),
    WARNING_MAX,
  );
}

/** `text` with its longest word (if longer than 12) shortened in the middle by what `text` is over `max`. */
function shortenLongestWord(text: string, max: number): string {
  const over = text.length - max;
  if (over <= 0) return text;
  const longest = text.split(/\s+/).reduce((a, w) => (w.length > a.length ? w : a), '');
  if (longest.length <= 12) return text;
  const keep = Math.max(10, longest.length - over - 1);
  const head = Math.ceil(keep / 2);
  return text.replace(longest, `${longest.slice(0, head)}…${longest.slice(longest.length - (keep - head))}`);
}

/**
 * Why a finding denies the request, whole: a denial's status message has no length limit, and it is
 * all `kubectl apply` shows of it. The headline, the detail, then the rule's page.
 */
export function denial(f: Finding): string {
  const headline = /[.!?]$/.test(f.message) ? f.message : `${f.message}.`;
  const detail = f.detail === '' ? '' : ` ${f.detail}`;
  return `${f.rule}: ${headline}${detail} See ${ruleDocUrl({ docsBaseUrl: DOCS_BASE_URL }, f.rule)}`;
}

/**
 * The objects the rules need to judge `incoming`: for a workload, its PodDisruptionBudgets,
 * autoscalers, canaries and Services; for a PDB or an autoscaler, the workloads it governs and theirs.
 * Running every rule over a whole namespace for each review cost ~350 ms on 800 objects; the rules'
 * findings on `incoming` are the same (a test compares them on the examples). Other kinds get it all.
 */
export function related(incoming: K8sObject, objects: readonly K8sObject[]): K8sObject[] {
  const index = new ObjectIndex(objects);
  const keep = new Set<K8sObject>([incoming]);
  const withJoins = (w: Workload): void => {
    for (const v of [w, index.templateOf(w)]) {
      keep.add(v.object);
      for (const o of [
        ...index.pdbsFor(v),
        ...index.hpasFor(v),
        ...index.vpasFor(v),
        ...index.canariesFor(v),
        ...index.servicesFor(v),
      ])
        keep.add(o);
    }
  };
  const own = index.workloads.find((w) => w.object === incoming);
  if (own) withJoins(own);
  else if (incoming.kind === 'PodDisruptionBudget') {
    const selector = index.pdbSelector(incoming);
    const governed = selector ? index.workloadsSelectedBy(incoming.namespace, selector) : [];
    // One that selects nothing is told which workload it may have been meant for: it needs them all.
    if (governed.length === 0) return [...objects];
    for (const w of governed) withJoins(w);
  } else {
    const target = index.targetOf(incoming);
    if (!target) return [...objects];
    withJoins(target);
  }
  return objects.filter((o) => keep.has(o));
}

/** The object under review as the rules see it; undefined when it names no apiVersion and kind. */
function toObject(raw: JsonObject, namespace: string): K8sObject | undefined {
  const apiVersion = raw['apiVersion'];
  const kind = raw['kind'];
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  const metadata = isJsonObject(raw['metadata']) ? raw['metadata'] : {};
  // On CREATE with generateName the name is not set yet.
  const name =
    typeof metadata['name'] === 'string' && metadata['name'] !== ''
      ? metadata['name']
      : typeof metadata['generateName'] === 'string'
        ? `${metadata['generateName']}*`
        : '<unnamed>';
  const ns =
    typeof metadata['namespace'] === 'string' && metadata['namespace'] !== ''
      ? metadata['namespace']
      : namespace;
  // The API server defaults the object before validating webhooks see it (spec.replicas: 1 is there
  // when the manifest left it out); its managedFields and last-applied annotation tell what was written.
  const fieldOwners = fieldOwnersOf(raw);
  return {
    apiVersion,
    kind,
    name,
    namespace: ns,
    id: objectId(kind, ns, name),
    raw,
    ...(fieldOwners ? { fieldOwners } : {}),
  };
}

function ownedByController(raw: JsonObject): boolean {
  const metadata = raw['metadata'];
  const owners = isJsonObject(metadata) ? metadata['ownerReferences'] : undefined;
  return Array.isArray(owners) && owners.some((o) => isJsonObject(o) && o['controller'] === true);
}
