import type { CheckResult } from '../engine/check.js';
import type { AnyRule, Severity } from '../rules/types.js';

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
}

export type Formatter = (result: CheckResult, ctx: ReportContext) => string;

export const DOCS_BASE_URL = 'https://github.com/kubeha/kubeha/blob/main/docs/rules/';

export function ruleDocUrl(ctx: Pick<ReportContext, 'docsBaseUrl'>, id: string): string {
  return `${ctx.docsBaseUrl}${id}.md`;
}

export const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'info'];
