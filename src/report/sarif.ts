import type { LogicalLocation, Log, ReportingDescriptor, Result, Run } from 'sarif';
import type { CheckResult } from '../engine/check.js';
import type { ObjectRef } from '../model/types.js';
import type { Finding, Severity } from '../rules/types.js';
import { ruleDocUrl, type Formatter, type ReportContext } from './types.js';

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', info: 'note' };

type RunContext = Pick<ReportContext, 'toolVersion' | 'rules' | 'docsBaseUrl'>;

/** SARIF 2.1.0 for code scanning: one reportingDescriptor per rule, results with physical locations. */
export const sarif: Formatter = (result, ctx) => sarifLog([sarifRun(result, ctx)]);

/** The log around its runs: one for check and scan, one per cluster for a fleet. */
export function sarifLog(runs: Run[]): string {
  const log: Log = { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs };
  return JSON.stringify(log, null, 2) + '\n';
}

/** kubeha as SARIF's tool, with one reportingDescriptor per rule that ran. */
export function sarifTool(ctx: RunContext): Run['tool'] {
  const descriptors: ReportingDescriptor[] = ctx.rules.map((r) => ({
    id: r.id,
    name: r.id
      .replace(/-(\w)/g, (_, ch: string) => ch.toUpperCase())
      .replace(/^\w/, (ch) => ch.toUpperCase()),
    shortDescription: { text: r.description },
    fullDescription: { text: `${r.description} (EKS Best Practices: ${r.guide})` },
    helpUri: ruleDocUrl(ctx, r.id),
    defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
    properties: { category: r.category, tags: ['kubernetes', 'high-availability', r.category] },
  }));
  return {
    driver: {
      name: 'kubeha',
      version: ctx.toolVersion,
      informationUri: 'https://github.com/kubeha/kubeha',
      rules: descriptors,
    },
  };
}

/** One run: the tool, and a result per finding. */
export function sarifRun(result: CheckResult, ctx: RunContext): Run {
  const indexOf = new Map(ctx.rules.map((r, i) => [r.id, i]));
  const results: Result[] = result.findings.map((f) => {
    const r: Result = { ruleId: f.rule, level: LEVEL[f.severity], message: { text: messageText(f) } };
    const i = indexOf.get(f.rule);
    if (i !== undefined) r.ruleIndex = i;
    if (f.location) {
      r.locations = [
        {
          physicalLocation: {
            artifactLocation: { uri: toUri(f.location.file), uriBaseId: '%SRCROOT%' },
            region: { startLine: f.location.line, startColumn: f.location.column },
          },
          ...(f.object
            ? {
                logicalLocations: [logicalLocation(f.object)],
              }
            : {}),
        },
      ];
    } else if (f.object) {
      // A live object (scan) has no file: name it, so code scanning still shows which object.
      r.locations = [{ logicalLocations: [logicalLocation(f.object)] }];
    }
    return r;
  });
  return { tool: sarifTool(ctx), results };
}

/**
 * The headline, a blank line, then the detail: code scanning shows the first line as the alert's
 * title and the rest in its body. A finding without a detail is its headline alone.
 */
function messageText(f: Finding): string {
  return f.detail === '' ? f.message : `${f.message}\n\n${f.detail}`;
}

function logicalLocation(o: ObjectRef): LogicalLocation {
  return {
    name: o.name,
    fullyQualifiedName: [o.namespace, o.kind, o.name].filter(Boolean).join('/'),
    kind: 'resource',
  };
}

function toUri(file: string): string {
  return file
    .split(/[\\/]/)
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}
