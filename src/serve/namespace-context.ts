import type { K8sObject } from '../model/types.js';

/** What a review is judged with: a namespace's objects as of one moment (the view's or a read's). */
export interface NamespaceContext {
  objects: K8sObject[];
  /** Kinds listed (a rule whose `needs` are not all here is skipped). */
  listed: ReadonlySet<string>;
  /** Why a kind could not be read, one line each. */
  warnings: string[];
  /** When the read started (ms since the epoch): the context holds nothing created later. */
  readAt: number;
}
