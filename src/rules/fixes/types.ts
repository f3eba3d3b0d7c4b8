import type { ObjectIndex } from '../../model/object-index.js';
import type { JsonObject, JsonValue, K8sObject } from '../../model/types.js';
import type { Location, MessageData } from '../../model/location.js';

/*
 * What a rule needs to describe a fix: the edit operations, the report it fixes, and the safety it
 * declares. Applying and writing the edits is src/fix's job, a layer above.
 */

/**
 * One edit of one YAML document, addressed by JSON pointer (RFC 6901) inside the object. JSON Patch's
 * add/replace/remove, plus what YAML needs and JSON cannot express: renaming a key in place (a typo such
 * as `piVersion`), resolving a key repeated in one mapping, and a new document.
 */
export type PatchOp =
  /** Sets the value at `path`, creating missing parent mappings; a final `-` appends to a sequence. */
  | { op: 'add'; path: string; value: JsonValue }
  /** Replaces the value at `path`, which must exist. */
  | { op: 'replace'; path: string; value: JsonValue }
  | { op: 'remove'; path: string }
  /** Renames the key at `path` to `to`, keeping its value, comments and position. */
  | { op: 'rename'; path: string; to: string }
  /**
   * The key at `path` appears more than once in its mapping; one is kept, at the first place. Values
   * that do not contradict each other (mappings with different keys, sequences, equal scalars) are
   * merged, since the author evidently meant both; otherwise the value that took effect stays and the
   * one that never did is left above it as a comment.
   */
  | { op: 'dedupe'; path: string }
  /**
   * Moves the node at `from` (with its comments) to `path`, creating missing parent mappings; JSON
   * Patch's move. `from` must not be an ancestor of `path`.
   */
  | { op: 'move'; from: string; path: string }
  /** A new document after this one (or, in a patch without `doc`, at the end of the file). */
  | { op: 'create'; value: JsonObject; comment?: string };

/** What `kubeha fix` and the library take besides the objects and findings. */
export interface FixOptions {
  /** Zones the cluster spreads over: single-replica raises replicas to this many (at least 2). */
  zones?: number;
  /** Target Kubernetes minor version, as for check. */
  kubeVersion?: string;
  /** Where new PodDisruptionBudgets go instead of a new document after their workload. */
  pdbFile?: string;
  /** Only these rules' findings are fixed (ids). */
  rules?: readonly string[];
  /** These rules' findings are left alone (ids). */
  skipRules?: readonly string[];
  /**
   * Also plan unsafe fixes: edits that are right for the manifests but change what a running cluster
   * does when applied (a bare Pod becomes a Deployment, spec.replicas leaves a workload an HPA scales),
   * or that undo something the author may have meant (a pin to one zone). Ruff's --unsafe-fixes.
   */
  unsafe?: boolean;
}

/** What a planner is asked to fix: one report of its rule, as the rule made it. */
export interface FixTarget<MessageIds extends string = string> {
  object: K8sObject;
  path: string;
  /** The message id the rule reported with (`load` for problems the loader found). */
  messageId: MessageIds | 'load';
  data: MessageData;
  location?: Location;
}

export interface FixContext {
  index: ObjectIndex;
  options: FixOptions;
  /** Zones as resolved for the run (the option, else 3). */
  zones: number;
}

/**
 * Whether an edit may be applied as it is (ruff's Applicability). A safe edit keeps what the manifests
 * meant and what a running cluster does when they are applied; an unsafe one is right for the manifests
 * but needs the user's review first (`review`: what to check or do), and is applied only with
 * `FixOptions.unsafe` (kubeha fix --unsafe-fixes).
 */
export type Applicability = { kind: 'safe' } | { kind: 'unsafe'; review: string };

/**
 * What a rule's fix can do, declared on the rule (ruff's FixAvailability, with the applicability its
 * edits can have): `safe`, every edit is safe; `unsafe`, every edit is unsafe; `safe-or-unsafe`, it
 * depends on the finding (`reason` says when an edit is unsafe); `none`, the rule has no fix, and
 * `reason` says what the user has to decide. docs/rules/<id>.md says the same under "Fix safety".
 */
export type FixSafety =
  | { kind: 'safe' }
  | { kind: 'unsafe'; reason: string }
  | { kind: 'safe-or-unsafe'; reason: string }
  | { kind: 'none'; reason: string };

/** One planned edit, before it is addressed to a file and document. */
export interface PlannedEdit {
  /** The object the ops apply to (for `create` ops, the object the new one is placed after). */
  object: K8sObject;
  description: string;
  ops: PatchOp[];
  /** Put `create` ops in this file (appended) instead of after `object`. */
  file?: string;
  applicability: Applicability;
}

/** A planner returns its edits, or why it cannot fix this report (the user has to choose). */
export type FixPlan = { edits: PlannedEdit[] } | { notFixed: string };

/** Declared as `fix` on a rule: turns one of the rule's reports into edits. Pure. */
export type FixPlanner<MessageIds extends string = string> = (
  target: FixTarget<MessageIds>,
  context: FixContext,
) => FixPlan;

/** A finding's fix: its rule's planner bound to the report, run when kubeha fix asks for it. */
export type FindingFix = (context: FixContext) => FixPlan;
