import { describe, expect, it } from 'vitest';
import { check } from '../src/engine/check.js';
import { ObjectIndex } from '../src/model/object-index.js';
import { parseManifests } from '../src/sources/parse.js';
import { DEFAULT_KUBE_VERSION } from '../src/model/kube-versions.js';
import type { K8sObject } from '../src/model/types.js';
import type {
  AnyRule,
  ClusterFacts,
  MessageData,
  ReportDescriptor,
  RuleContext,
  Severity,
} from '../src/rules/types.js';

/** Every kind `kubeha scan` lists when RBAC lets it: a live case sees these unless it says otherwise. */
export const SCAN_KINDS: readonly string[] = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
  'Service',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
  'Node',
  'APIService',
  'CustomResourceDefinition',
  'VerticalPodAutoscaler',
  'Rollout',
  'Canary',
  'VirtualService',
  'DestinationRule',
  'Namespace',
];

/** The moment live cases are read at (timestamps in their status blocks are relative to it). */
export const TEST_NOW = Date.parse('2025-01-15T12:00:00Z');

/** What a live case's scan knew: the kinds it could list, and when it read them (ms, or an RFC 3339 time). */
export interface LiveFacts {
  listed?: readonly string[];
  now?: number | string;
  /** A scan of one namespace (`-n`). */
  namespace?: string;
}

export interface ValidCase {
  name: string;
  /** Manifests; objects in valid cases are named pass-*, reported objects in invalid cases fail-*. */
  yaml: string;
  options?: Record<string, unknown>;
  kubeVersion?: string;
  zones?: number;
  /**
   * Run as `kubeha scan` does, with these facts. Live rules get every scan kind and TEST_NOW unless the
   * case says otherwise; `false` runs them as `kubeha check` would, without facts.
   */
  cluster?: LiveFacts | false;
}

export interface ExpectedReport {
  /** metadata.name of the reported object. */
  object: string;
  messageId?: string;
  /** Subset of the message data. */
  data?: MessageData;
  /** 1-based line of the reported position in `yaml` (after dedent). */
  line?: number;
  column?: number;
  path?: string;
  severity?: Severity;
  /** Substring or pattern of the rendered message. */
  message?: string | RegExp;
  /** The reported object's name is fixed by Kubernetes (kube-system, an APIService), so it cannot be fail-*. */
  fixedName?: boolean;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedReport[];
}

/** Removes the common indentation of a template literal, so cases can be indented in the test. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, '');
  const indents = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => /^ */.exec(l)![0].length);
  const cut = Math.min(...indents);
  return text
    .split('\n')
    .map((l) => l.slice(cut))
    .join('\n');
}

interface Recorded extends ReportDescriptor {
  line: number;
  column: number;
  rendered: string;
  severity: Severity;
}

function clusterFacts(rule: AnyRule, c: ValidCase): ClusterFacts | undefined {
  if (c.cluster === false || (c.cluster === undefined && rule.scope !== 'live')) return undefined;
  const now = c.cluster?.now ?? TEST_NOW;
  return {
    listed: new Set(c.cluster?.listed ?? SCAN_KINDS),
    now: typeof now === 'string' ? Date.parse(now) : now,
    ...(c.cluster?.namespace !== undefined ? { namespace: c.cluster.namespace } : {}),
  };
}

function fileObject(file: string): K8sObject {
  return { apiVersion: '', kind: '', name: file, namespace: '', id: file, raw: {} };
}

/** Runs one rule on one case and records what it reported, with positions and rendered messages. */
export function runRule(rule: AnyRule, c: ValidCase): Recorded[] {
  const { objects, problems } = parseManifests(c.yaml, 'test.yaml');
  if (rule.scope === 'load') {
    return problems
      .filter((p) => p.rule === rule.id)
      .map((p) => ({
        // A file where nothing loaded (a binary file) still has its problem: name it after the file.
        object: p.object ?? objects[0] ?? fileObject(p.file),
        messageId: 'load',
        line: p.line,
        column: p.column,
        rendered: p.message,
        severity: rule.defaultSeverity,
      }));
  }
  const out: Recorded[] = [];
  const cluster = clusterFacts(rule, c);
  const context: RuleContext<unknown> = {
    // As the engine builds it: joins judged at the target version.
    index: new ObjectIndex(objects, { kubeVersion: c.kubeVersion ?? DEFAULT_KUBE_VERSION }),
    options: { ...(rule.defaultOptions as object), ...c.options },
    settings: {
      kubeVersion: c.kubeVersion ?? DEFAULT_KUBE_VERSION,
      zones: c.zones ?? 3,
      ...(cluster ? { cluster } : {}),
    },
    report(d) {
      // A live rule may report an object the scan could not show (a missing add-on): it has no position.
      const pos = d.object.source?.locate(d.path ?? '') ?? { line: 0, column: 0 };
      out.push({ ...d, ...pos, rendered: '', severity: d.severity ?? rule.defaultSeverity });
    },
  };
  rule.check(context as RuleContext<never>);
  // Render through the engine too, so message templates and placeholders are exercised as users see them.
  const rendered = check(objects, {
    rules: [rule],
    problems,
    ruleConfig: c.options ? { [rule.id]: { options: c.options } } : {},
    ...(c.kubeVersion ? { kubeVersion: c.kubeVersion } : {}),
    ...(c.zones ? { zones: c.zones } : {}),
    ...(cluster ? { cluster } : {}),
  }).findings;
  out.forEach((r) => {
    const match = rendered.find(
      (f) =>
        f.object?.name === r.object.name && (f.location?.line ?? 0) === r.line && f.path === (r.path ?? ''),
    );
    // Headline and detail: a case's `message` may quote either.
    r.rendered = match ? `${match.message}\n${match.detail}` : '';
  });
  return out;
}

export function testRule(rule: AnyRule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(rule.id, () => {
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => {
        const reports = runRule(rule, c);
        expect(reports.map((r) => `${r.object.name}: ${r.rendered}`)).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const reports = runRule(rule, c);
        expect(
          reports.length,
          reports.map((r) => `${r.object.name}@${r.line}: ${r.rendered}`).join('\n'),
        ).toBe(c.errors.length);
        c.errors.forEach((e, i) => {
          const r = reports[i]!;
          expect(r.object.name).toBe(e.object);
          if (rule.scope !== 'load' && !e.fixedName) expect(r.object.name.startsWith('fail-')).toBe(true);
          if (e.messageId !== undefined) expect(r.messageId).toBe(e.messageId);
          if (e.data !== undefined) expect(r.data).toMatchObject(e.data);
          if (e.line !== undefined) expect(r.line).toBe(e.line);
          if (e.column !== undefined) expect(r.column).toBe(e.column);
          if (e.path !== undefined) expect(r.path).toBe(e.path);
          if (e.severity !== undefined) expect(r.severity).toBe(e.severity);
          expect(r.rendered).not.toMatch(/\{\{/);
          if (typeof e.message === 'string') expect(r.rendered).toContain(e.message);
          else if (e.message) expect(r.rendered).toMatch(e.message);
        });
      });
    }
  });
}
