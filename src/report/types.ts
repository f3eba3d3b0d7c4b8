import type { CheckResult } from '../engine/check.js';
import type { AnyRule, Severity } from '../rules/types.js';

export { DOCS_BASE_URL, ruleDocUrl } from '../model/doc-url.js';

export interface ReportContext {
  toolVersion: string;
  /** The rules that ran, for formats that describe them (SARIF). */
  rules: readonly AnyRule[];
  color: boolean;
  failOn: Severity | 'none';
  /** Where docs/rules/<id>.md is published. */
  docsBaseUrl: string;
  /** The command whose results these are, for headings and suite names: "check" (default) or "scan". */
  command?: 'check' | 'scan';
  /** Columns the text report wraps a finding's detail to (the terminal's; DEFAULT_WIDTH otherwise). */
  width?: number;
  /** Headlines only: the text report leaves each finding's detail out (`--compact`). */
  compact?: boolean;
}

/** The width of text output that is not a terminal's (a file, a pipe, CI logs). */
export const DEFAULT_WIDTH = 100;

export type Formatter = (result: CheckResult, ctx: ReportContext) => string;

export const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'info'];
