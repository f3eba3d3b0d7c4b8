import { DEFAULT_KUBE_VERSION } from '../model/kube-versions.js';
import { ObjectIndex } from '../model/object-index.js';
import { refOf, type K8sObject, type ObjectRef } from '../model/types.js';
import { rules as catalog } from '../rules/index.js';
import type { AnyRule, Finding, ReportDescriptor, RuleContext } from '../rules/types.js';
import type { FixContext, FixOptions, FixResult, FixTarget, NotFixed, Patch, PlannedEdit } from './types.js';

/**
 * Plans the edits that fix `findings` (as `check` returned them for `objects`). Pure: the patches
 * come back addressed by file and document; `applyPatches` turns them into new text.
 *
 * Planners see what their rule reported (message id and data), not the rendered finding, so the rules
 * are run again here with a recording context and each finding is matched to its report.
 */
export function fix(
  objects: readonly K8sObject[],
  findings: readonly Finding[],
  options: FixOptions = {},
): FixResult {
  const index = new ObjectIndex(
    objects,
    options.kubeVersion !== undefined ? { kubeVersion: options.kubeVersion } : {},
  );
  const context: FixContext = { index, options, zones: options.zones ?? 3 };
  const patches: Patch[] = [];
  const notFixed: NotFixed[] = [];
  const selected = (id: string): boolean =>
    (!options.rules?.length || options.rules.includes(id)) && !options.skipRules?.includes(id);
  const reports = new Map<string, Map<string, ReportDescriptor>>();

  for (const finding of findings) {
    if (!selected(finding.rule)) continue;
    const rule = catalog.find((r) => r.id === finding.rule);
    const skip = (reason: string, unsafe = false): void => {
      notFixed.push({
        rule: finding.rule,
        ...(finding.object ? { object: finding.object } : {}),
        ...(finding.location ? { location: finding.location } : {}),
        reason,
        ...(unsafe ? { unsafe: true as const } : {}),
      });
    };
    if (!rule?.fix) {
      skip(rule?.fixSafety.kind === 'none' ? rule.fixSafety.reason : 'no planner for this rule');
      continue;
    }
    const target = targetOf(finding, rule, objects, index, options, reports);
    if (!target) {
      skip('the finding does not match what the rule reports on this input (was it made from other files?)');
      continue;
    }
    const plan = rule.fix(target, context);
    if ('notFixed' in plan) {
      skip(plan.notFixed);
      continue;
    }
    // One unsafe edit makes the whole plan wait for --unsafe-fixes: its edits belong together.
    const review = plan.edits.flatMap((e) =>
      e.applicability.kind === 'unsafe' ? [e.applicability.review] : [],
    );
    if (review.length > 0 && !options.unsafe) {
      const what = plan.edits.map((e) => e.description).join('; ');
      skip(`an unsafe fix (--unsafe-fixes applies it): ${what}; ${review.join('; ')}`, true);
      continue;
    }
    for (const edit of plan.edits) {
      const patch = address(rule.id, edit);
      if (typeof patch === 'string') skip(patch);
      else if (!patches.some((p) => samePatch(p, patch))) patches.push(patch);
    }
  }
  return { patches, notFixed };
}

/** The report behind a finding: loader problems come as they are, rule reports are recorded anew. */
function targetOf(
  finding: Finding,
  rule: AnyRule,
  objects: readonly K8sObject[],
  index: ObjectIndex,
  options: FixOptions,
  cache: Map<string, Map<string, ReportDescriptor>>,
): FixTarget | undefined {
  const object = finding.object && objectAt(objects, finding.object, finding.location?.file);
  if (!object) return undefined;
  // Problems the loader found carry no path; their planners work from the object and the position.
  if (finding.path === undefined || rule.scope === 'load') {
    return {
      object,
      path: finding.path ?? '',
      messageId: 'load',
      data: { message: finding.message },
      ...(finding.location ? { location: finding.location } : {}),
    };
  }
  let recorded = cache.get(rule.id);
  if (!recorded) {
    recorded = record(rule, index, options);
    cache.set(rule.id, recorded);
  }
  const d = recorded.get(reportKey(refOf(object), object.source?.file, finding.path));
  if (!d) return undefined;
  return {
    object: d.object,
    path: d.path ?? '',
    messageId: d.messageId,
    data: d.data ?? {},
    ...(finding.location ? { location: finding.location } : {}),
  };
}

function record(rule: AnyRule, index: ObjectIndex, options: FixOptions): Map<string, ReportDescriptor> {
  const out = new Map<string, ReportDescriptor>();
  const context: RuleContext<unknown> = {
    index,
    options: { ...(rule.defaultOptions as object) },
    settings: { kubeVersion: options.kubeVersion ?? DEFAULT_KUBE_VERSION, zones: options.zones ?? 3 },
    report(d) {
      const key = reportKey(refOf(d.object), d.object.source?.file, d.path ?? '');
      if (!out.has(key)) out.set(key, d);
    },
  };
  try {
    rule.check(context as RuleContext<never>);
  } catch {
    // check() reports a failing rule already; its findings then simply find no report here.
  }
  return out;
}

function reportKey(ref: ObjectRef, file: string | undefined, path: string): string {
  return JSON.stringify([file ?? '', ref.apiVersion, ref.kind, ref.namespace, ref.name, path]);
}

function objectAt(
  objects: readonly K8sObject[],
  ref: ObjectRef,
  file: string | undefined,
): K8sObject | undefined {
  return objects.find(
    (o) =>
      o.kind === ref.kind &&
      o.name === ref.name &&
      o.namespace === ref.namespace &&
      o.apiVersion === ref.apiVersion &&
      (file === undefined || o.source?.file === file),
  );
}

/** Addresses an edit to its file and document; objects read from a cluster have neither. */
function address(rule: string, edit: PlannedEdit): Patch | string {
  const source = edit.object.source;
  const flag = edit.applicability.kind === 'unsafe' ? { unsafe: edit.applicability.review } : {};
  if (edit.file !== undefined) {
    return {
      rule,
      description: edit.description,
      file: edit.file,
      object: refOf(edit.object),
      ops: edit.ops,
      ...flag,
    };
  }
  if (!source) return 'the object was not read from a file';
  return {
    rule,
    description: edit.description,
    file: source.file,
    doc: source.doc,
    object: refOf(edit.object),
    ops: edit.ops,
    ...flag,
  };
}

function samePatch(a: Patch, b: Patch): boolean {
  return a.file === b.file && a.doc === b.doc && JSON.stringify(a.ops) === JSON.stringify(b.ops);
}
