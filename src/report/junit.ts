import type { ObjectRef } from '../model/types.js';
import type { Finding } from '../rules/types.js';
import { severityAtLeast } from '../engine/check.js';
import type { CheckResult } from '../engine/check.js';
import type { Formatter, ReportContext } from './types.js';

/**
 * JUnit XML: one test case per workload (and per other object that has findings). A case fails when
 * it has a finding at or above --fail-on; lesser findings are listed in its system-out.
 */
export const junit: Formatter = (result, ctx) => {
  const suite = junitSuite(result, ctx, `kubeha ${ctx.command ?? 'check'}`);
  return junitDocument(suite.tests, suite.failures, 0, suite.lines);
};

/** The XML around the suites. */
export function junitDocument(tests: number, failures: number, errors: number, suites: string[]): string {
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<testsuites name="kubeha" tests="${tests}" failures="${failures}"${errors ? ` errors="${errors}"` : ''}>`,
  );
  out.push(...suites);
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

/** One suite: a case per workload and per other object with findings, and per file with file-level ones. */
export function junitSuite(
  result: CheckResult,
  ctx: Pick<ReportContext, 'failOn'>,
  name: string,
): { tests: number; failures: number; lines: string[] } {
  const cases = new Map<string, { ref: ObjectRef; findings: Finding[] }>();
  const keyOf = (r: ObjectRef): string => [r.namespace, r.kind, r.name].filter(Boolean).join('/');
  for (const w of result.workloads) cases.set(keyOf(w), { ref: w, findings: [] });
  const fileLevel: Finding[] = [];
  for (const f of result.findings) {
    if (!f.object) {
      fileLevel.push(f);
      continue;
    }
    const k = keyOf(f.object);
    let c = cases.get(k);
    if (!c) cases.set(k, (c = { ref: f.object, findings: [] }));
    c.findings.push(f);
  }
  let failures = 0;
  const body: string[] = [];
  // The headline line, then the detail indented under it: the body is what a CI page shows in full.
  const line = (f: Finding): string =>
    `${f.severity} ${f.rule}: ${f.message}${f.location ? ` (${f.location.file}:${f.location.line}:${f.location.column})` : ''}` +
    (f.detail === '' ? '' : `\n  ${f.detail}`);
  const emitCase = (classname: string, name: string, findings: Finding[]): void => {
    const failing = findings.filter((f) => severityAtLeast(f.severity, ctx.failOn));
    body.push(`    <testcase classname="${esc(classname)}" name="${esc(name)}">`);
    if (failing.length > 0) {
      failures++;
      const first = failing[0]!;
      body.push(
        `      <failure type="${esc(first.rule)}" message="${esc(first.message)}">${esc(failing.map(line).join('\n'))}</failure>`,
      );
    }
    const failed = new Set(failing);
    const rest = findings.filter((f) => !failed.has(f));
    if (rest.length > 0) body.push(`      <system-out>${esc(rest.map(line).join('\n'))}</system-out>`);
    body.push('    </testcase>');
  };
  for (const { ref, findings } of cases.values()) emitCase(`kubeha.${ref.kind}`, keyOf(ref), findings);
  const byFile = new Map<string, Finding[]>();
  for (const f of fileLevel) {
    const file = f.location?.file ?? '(input)';
    // Appended in place: copying the list per finding was quadratic in a file's syntax errors.
    const list = byFile.get(file);
    if (list) list.push(f);
    else byFile.set(file, [f]);
  }
  for (const [file, findings] of byFile) emitCase('kubeha.file', file, findings);
  const tests = cases.size + byFile.size;
  const lines = [
    `  <testsuite name="${esc(name)}" tests="${tests}" failures="${failures}" errors="0" skipped="0">`,
    ...body,
    '  </testsuite>',
  ];
  return { tests, failures, lines };
}

export function esc(s: string): string {
  return (
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // XML 1.0 cannot carry most control characters, even escaped.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
  );
}
