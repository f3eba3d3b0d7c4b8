import { DEFAULT_ZONES } from '../model/defaults.js';
import { ObjectIndex } from '../model/object-index.js';
import { refOf, type K8sObject } from '../model/types.js';
import { check } from '../engine/check.js';
import { ruleById } from '../rules/index.js';
import type { FindingFix } from '../rules/fixes/types.js';
import type { Finding } from '../rules/types.js';
import type { FixContext, FixOptions, FixResult, NotFixed, Patch, PlannedEdit } from './types.js';

/**
 * Plans the edits that fix `findings` (as `check` returned them for `objects`). Pure: the patches
 * come back addressed by file and document; `applyPatches` turns them into new text.
 *
 * Each finding carries its fix (the rule's planner bound to the report the rule made, with its message
 * id and data); the planners run against an index of `objects`, with the options of this run. A
 * finding that lost it (copied with `{ ...finding }`, read back from a JSON report) gets it from the
 * same rule's report on `objects`, matched by object, path and message.
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
  const context: FixContext = { index, options, zones: options.zones ?? DEFAULT_ZONES };
  const patches: Patch[] = [];
  const notFixed: NotFixed[] = [];
  const fixOf = recovery(objects, options);
  const selected = (id: string): boolean =>
    (!options.rules?.length || options.rules.includes(id)) && !options.skipRules?.includes(id);

  for (const finding of findings) {
    if (!selected(finding.rule)) continue;
    const rule = ruleById(finding.rule);
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
    const planner = finding.fix ?? fixOf(finding);
    if (!planner) {
      skip(
        `${rule.id} does not report this on these objects: the finding does not match the input it is fixed on`,
      );
      continue;
    }
    const plan = planner(context);
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

const sameRef = (a: Finding['object'], b: Finding['object']): boolean =>
  a?.apiVersion === b?.apiVersion &&
  a?.kind === b?.kind &&
  a?.namespace === b?.namespace &&
  a?.name === b?.name;

/**
 * The fix of a finding that does not carry it: the rule is run again on `objects` (once per rule,
 * only when a finding needs it) and the report with the same object, path and message lends its fix.
 */
function recovery(
  objects: readonly K8sObject[],
  options: FixOptions,
): (finding: Finding) => FindingFix | undefined {
  const reports = new Map<string, readonly Finding[]>();
  return (finding) => {
    const rule = ruleById(finding.rule);
    if (!rule) return undefined;
    let found = reports.get(rule.id);
    if (!found) {
      found = check(objects, {
        rules: [rule],
        ...(options.kubeVersion !== undefined ? { kubeVersion: options.kubeVersion } : {}),
        ...(options.zones !== undefined ? { zones: options.zones } : {}),
      }).findings;
      reports.set(rule.id, found);
    }
    return found.find(
      (f) => f.path === finding.path && f.message === finding.message && sameRef(f.object, finding.object),
    )?.fix;
  };
}
