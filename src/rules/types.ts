import type { FindingFix, FixPlanner, FixSafety } from './fixes/types.js';
import type { ObjectIndex } from '../model/object-index.js';
import type { Location, MessageData } from '../model/location.js';
import type { K8sObject, ObjectRef } from '../model/types.js';
import type { Severity } from '../model/severity.js';
import type { ClusterFacts } from '../model/cluster-facts.js';

export type { Location, MessageData };
export type { Severity };
export type { ClusterFacts };

export type Category =
  | 'workload'
  | 'autoscaling'
  | 'scheduling'
  | 'health'
  | 'updates'
  | 'disruptions'
  | 'mesh'
  | 'api'
  | 'hygiene'
  | 'simulation'
  | 'live';

/**
 * Where a rule's findings come from: `static` rules read manifests (check and scan), `load` rules are
 * reported by the loader (syntax, duplicate keys), `live` rules need a cluster (scan only).
 */
export type RuleScope = 'static' | 'load' | 'live';

/** Analysis-wide settings every rule may read. */
export interface RuleSettings {
  /** Target Kubernetes minor version, "1.33". */
  kubeVersion: string;
  /** Zones the cluster spreads over (for rules that compare replicas with zones). */
  zones: number;
  /** Set only by a live scan; `live` rules do nothing without it. */
  cluster?: ClusterFacts;
}

/**
 * One message of a rule: `{{name}}` placeholders in either part are filled from the report's data.
 * - `headline`: what is wrong, naming the object; at most 120 characters once filled (the engine
 *   shortens long values to keep it so: admission warnings and `--compact` show only this); no
 *   trailing period.
 * - `detail`: why it matters and how to fix it, in whole sentences.
 */
export interface RuleMessage {
  headline: string;
  detail: string;
}

export interface ReportDescriptor<MessageIds extends string = string> {
  object: K8sObject;
  /** JSON pointer of the offending field; its nearest existing ancestor is what the location shows. */
  path?: string;
  /** A key of the rule's `messages`: a misspelt id does not compile. */
  messageId: MessageIds;
  data?: MessageData;
  /** Overrides the rule's severity for this one finding (e.g. deprecated vs removed API). */
  severity?: Severity;
}

export interface RuleContext<Options, MessageIds extends string = string> {
  index: ObjectIndex;
  options: Options;
  settings: RuleSettings;
  report(descriptor: ReportDescriptor<MessageIds>): void;
}

export interface RuleMeta<Options, MessageIds extends string = string> {
  /** Equal to the rule's file name; a contract (docs, JSON, SARIF). */
  id: string;
  category: Category;
  defaultSeverity: Severity;
  /**
   * The heading of the section of the EKS Best Practices guide (reliability) the rule implements; its
   * docs page shows it as "Guide section". `(manifest hygiene)` for rules the guide has no section for.
   */
  guide: string;
  /** One sentence: what the rule finds and why it matters. */
  description: string;
  /**
   * The rule's message templates by id; `report` takes only these ids. A message is a headline (what
   * is wrong, at most 120 characters once filled) and a detail (why it matters and how to fix it).
   */
  messages: Record<MessageIds, RuleMessage>;
  scope?: RuleScope;
  defaultOptions?: Options;
  /** JSON Schema of the options object, for the config file. */
  optionsSchema?: Record<string, unknown>;
  /**
   * Kinds whose absence the rule reads as a fact ("no PDB selects these pods"). When a live scan could
   * not list one of them (a 403), the rule would report what it cannot know, so it is skipped.
   */
  needs?: readonly string[];
  /**
   * Whether kubeha fix can fix the findings, and how safely (ruff's FixAvailability); a rule without a
   * planner says what the user has to decide. docs/rules/<id>.md repeats it under "Fix safety".
   */
  fixSafety: FixSafety;
  /** Turns one report into edits of the manifests (kubeha fix); rules whose fix is the user's choice have none. */
  fix?: FixPlanner<MessageIds>;
}

export interface Rule<Options = Record<string, never>, MessageIds extends string = never> extends RuleMeta<
  Options,
  MessageIds
> {
  check(context: RuleContext<Options, MessageIds>): void;
}

/** A rule with its options type erased, as the registry holds it. */
export type AnyRule = RuleMeta<unknown> & { check(context: RuleContext<never>): void };

export interface Finding {
  rule: string;
  severity: Severity;
  category: Category;
  /** The headline: what is wrong, at most 120 characters (the JSON contract's `message`). */
  message: string;
  /** Why it matters and how to fix it. */
  detail: string;
  object?: ObjectRef;
  location?: Location;
  path?: string;
  /**
   * How kubeha fix fixes it: the rule's planner bound to this finding's report (message id, data,
   * object, path), called only when asked. Not enumerable: a finding serialized whole (the JSON report)
   * does not carry it, and a copy or a finding read back from one has none; `fix()` then finds it again
   * from the rule's report on the objects (src/fix/plan.ts).
   */
  readonly fix?: FindingFix;
}
