import type { ObjectRef } from '../model/types.js';
import type { Location } from '../model/location.js';
import type { PatchOp } from '../rules/fixes/types.js';

export type {
  Applicability,
  FixContext,
  FixOptions,
  FixPlan,
  FixPlanner,
  FixSafety,
  FixTarget,
  PatchOp,
  PlannedEdit,
} from '../rules/fixes/types.js';

/** The edits one rule's planner makes to one object (or, with `create`, next to it). */
export interface Patch {
  rule: string;
  /** What the patch does, for people: "set spec.replicas to 2". */
  description: string;
  /** The file the patch applies to. */
  file: string;
  /** 0-based document index in `file`, as the loader counts them; absent when the patch only appends new documents. */
  doc?: number;
  /** The object edited (for `create`, the object the new one is for). */
  object: ObjectRef;
  ops: PatchOp[];
  /**
   * Set on an unsafe fix: what the user must review or do before applying the change to a running
   * cluster. Unsafe fixes are planned only with `FixOptions.unsafe`.
   */
  unsafe?: string;
}

/** A finding the planners leave to the user, and what they have to decide. */
export interface NotFixed {
  rule: string;
  object?: ObjectRef;
  location?: Location;
  reason: string;
  /** An unsafe fix exists and was left out: `FixOptions.unsafe` (kubeha fix --unsafe-fixes) applies it. */
  unsafe?: true;
}

export interface FixResult {
  patches: Patch[];
  notFixed: NotFixed[];
}
