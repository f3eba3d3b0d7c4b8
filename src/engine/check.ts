import { ObjectIndex } from '../model/object-index.js';
import { refOf, type K8sObject, type ObjectRef } from '../model/types.js';
import type { LoadProblem } from '../sources/parse.js';
import { renderMessage, type RenderedMessage } from '../rules/define-rule.js';
import { rules as catalog } from '../rules/index.js';
import { withFix } from '../rules/fixes/attach.js';
import type {
  AnyRule,
  ClusterFacts,
  Finding,
  RuleContext,
  RuleMessage,
  RuleSettings,
  Severity,
} from '../rules/types.js';
import { DEFAULT_ZONES } from '../model/defaults.js';
import { DEFAULT_KUBE_VERSION } from '../model/kube-versions.js';
import { compareStrings } from '../model/order.js';

export type RuleLevel = Severity | 'off';

export interface RuleConfig {
  severity?: RuleLevel;
  options?: Record<string, unknown>;
}

export interface CheckOptions {
  /** Rules to run; the whole static catalog by default. */
  rules?: readonly AnyRule[];
  /** Per-rule severity overrides, `off`, and options. */
  ruleConfig?: Record<string, RuleConfig>;
  kubeVersion?: string;
  zones?: number;
  /** Problems found while loading (syntax errors, duplicate keys), reported as findings. */
  problems?: readonly LoadProblem[];
  /** Given by a live scan: the default rule set then includes the `live` rules, which read these facts. */
  cluster?: ClusterFacts;
}

export interface Summary {
  objects: number;
  workloads: number;
  error: number;
  warning: number;
  info: number;
  /** Findings silenced by a kubeha.io/ignore annotation. */
  suppressed: number;
}

export interface CheckResult {
  findings: Finding[];
  summary: Summary;
  /** Every workload analysed, findings or not (JUnit reports one test case per workload). */
  workloads: ObjectRef[];
  /** Rules that failed on this input (a kubeha bug): the CLI prints them on stderr. */
  errors: string[];
}

export const IGNORE_ANNOTATION = 'kubeha.io/ignore';

/** Runs the rule catalog over loaded objects. Pure: the objects in, findings out. */
export function check(objects: readonly K8sObject[], options: CheckOptions = {}): CheckResult {
  const settings: RuleSettings = {
    kubeVersion: options.kubeVersion ?? DEFAULT_KUBE_VERSION,
    zones: options.zones ?? DEFAULT_ZONES,
    ...(options.cluster ? { cluster: options.cluster } : {}),
  };
  // Joins leave out PDBs and autoscalers on versions the target's API server refuses.
  const index = new ObjectIndex(objects, { kubeVersion: settings.kubeVersion });
  // Live rules need what only a scan knows (which kinds it could list, when it read them). On a live
  // cluster the simulator's verdicts are left to callers that ask for them (`rules`): every Node of a
  // large cluster in the input would otherwise start a full simulation.
  const ruleSet =
    options.rules ??
    (options.cluster
      ? catalog.filter((r) => r.category !== 'simulation')
      : catalog.filter((r) => (r.scope ?? 'static') !== 'live'));
  const active = new Set(ruleSet.map((r) => r.id));
  const findings: Finding[] = [];
  let suppressed = 0;
  const errors: string[] = [];

  const emit = (f: Finding, object: K8sObject | undefined): void => {
    if (object && isIgnored(object, f.rule)) {
      suppressed++;
      return;
    }
    findings.push(f);
  };

  for (const p of options.problems ?? []) {
    const rule = ruleSet.find((r) => r.id === p.rule);
    if (!rule || !active.has(p.rule)) continue;
    const severity = levelOf(rule, options.ruleConfig);
    if (severity === 'off') continue;
    const location = { file: p.file, line: p.line, column: p.column };
    const finding: Finding = {
      rule: p.rule,
      severity,
      category: rule.category,
      ...renderedAs(renderMessage(loadMessage(rule, p), { message: p.message, detail: p.detail ?? '' })),
      ...(p.object ? { object: refOf(p.object) } : {}),
      location,
      ...(p.path ? { path: p.path } : {}),
    };
    // The loader's problems reach their planners as the message it wrote, at the position it found.
    const target = p.object && {
      object: p.object,
      path: p.path ?? '',
      messageId: 'load',
      data: { message: p.message },
      location,
    };
    emit(target ? withFix(finding, rule.fix, target) : finding, p.object);
  }

  for (const rule of ruleSet) {
    const level = levelOf(rule, options.ruleConfig);
    if (level === 'off' || rule.scope === 'load') continue;
    const context: RuleContext<unknown> = {
      index,
      settings,
      options: { ...(rule.defaultOptions as object), ...options.ruleConfig?.[rule.id]?.options },
      report(d) {
        const template = rule.messages[d.messageId];
        if (template === undefined) throw new Error(`rule ${rule.id} has no message "${d.messageId}"`);
        const path = d.path ?? '';
        const overridden = options.ruleConfig?.[rule.id]?.severity !== undefined;
        const location = d.object.source && { file: d.object.source.file, ...d.object.source.locate(path) };
        const finding: Finding = {
          rule: rule.id,
          severity: overridden ? (level as Severity) : (d.severity ?? level),
          category: rule.category,
          ...renderedAs(renderMessage(template, d.data)),
          object: refOf(d.object),
          ...(location ? { location } : {}),
          path,
        };
        const target = {
          object: d.object,
          path,
          messageId: d.messageId,
          data: d.data ?? {},
          ...(location ? { location } : {}),
        };
        emit(withFix(finding, rule.fix, target), d.object);
      },
    };
    try {
      rule.check(context as RuleContext<never>);
    } catch (e) {
      // A bug in one rule must not hide the other rules' findings; it is reported, not thrown.
      errors.push(`rule ${rule.id} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  findings.sort(compareFindings);
  return {
    findings,
    summary: summarize(findings, objects.length, index.workloads.length, suppressed),
    workloads: index.workloads.map((w) => refOf(w.object)),
    errors,
  };
}

/**
 * A loader problem's headline is the loader's own words (it knows the key, the line, the field); the
 * rule's `load` message gives the detail: why such a problem matters and how to fix it.
 */
function loadMessage(rule: AnyRule, p: LoadProblem): RuleMessage {
  if (p.detail !== undefined) return { headline: '{{message}}', detail: '{{detail}}' };
  return { headline: '{{message}}', detail: rule.messages['load']?.detail ?? '' };
}

function renderedAs(m: RenderedMessage): { message: string; detail: string } {
  return { message: m.headline, detail: m.detail };
}

function levelOf(rule: AnyRule, config: Record<string, RuleConfig> | undefined): RuleLevel {
  return config?.[rule.id]?.severity ?? rule.defaultSeverity;
}

export function isIgnored(object: K8sObject, ruleId: string): boolean {
  const metadata = object.raw['metadata'];
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return false;
  const annotations = metadata['annotations'];
  if (typeof annotations !== 'object' || annotations === null || Array.isArray(annotations)) return false;
  const value = annotations[IGNORE_ANNOTATION];
  if (typeof value !== 'string') return false;
  const ids = value.split(',').map((s) => s.trim());
  return ids.includes(ruleId) || ids.includes('*') || ids.includes('all');
}

export function summarize(
  findings: readonly Finding[],
  objects: number,
  workloads: number,
  suppressed = 0,
): Summary {
  const s: Summary = { objects, workloads, error: 0, warning: 0, info: 0, suppressed };
  for (const f of findings) s[f.severity]++;
  return s;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.location?.file ?? '', b.location?.file ?? '') ||
    (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
    (a.location?.column ?? 0) - (b.location?.column ?? 0) ||
    // Live objects (scan) have no position: their findings stay together per object.
    compareStrings(objectKey(a), objectKey(b)) ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    compareStrings(a.rule, b.rule)
  );
}

function objectKey(f: Finding): string {
  return f.object ? `${f.object.namespace}/${f.object.kind}/${f.object.name}` : '';
}

export function severityAtLeast(s: Severity, threshold: Severity | 'none'): boolean {
  if (threshold === 'none') return false;
  return SEVERITY_RANK[s] <= SEVERITY_RANK[threshold];
}
