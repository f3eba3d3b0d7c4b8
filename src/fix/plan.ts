import { DEFAULT_ZONES } from '../model/defaults.js';
import { ObjectIndex } from '../model/object-index.js';
import { refOf, type K8sObject } from '../model/types.js';
import { ruleById } from '../rules/index.js';
import type { Finding } from '../rules/types.js';
import type { FixContext, FixOptions, FixResult, NotFixed, Patch, PlannedEdit } from './types.js';

/**
 * Plans the edits that fix `findings` (as `check` returned them for `objects`). Pure: the patches
 * come back addressed by file and document; `applyPatches` turns them into new text.
 *
 * Each finding carries its fix (the rule's planner bound to the report the rule made, with its message
 * id and data); the planners run against an index of `objects`, with the options of this run.
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
    if (!finding.fix) {
      skip('the finding does not carry its fix (was it read back from a report rather than made by check?)');
      continue;
    }
    const plan = finding.fix(context);
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
