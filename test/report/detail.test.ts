// A finding's two texts in every format: the headline (`message`, what is wrong) and the detail (why
// it matters, how to fix it). The details here are written by the test, so that what each format does
// with them does not hang on any rule's wording; an empty detail (a rule not yet split) shows nothing.
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { check, type CheckResult } from '../../src/engine/check.js';
import { main } from '../../src/cli/main.js';
import { formatters } from '../../src/report/index.js';
import { DEFAULT_WIDTH, DOCS_BASE_URL, type ReportContext } from '../../src/report/types.js';
import { wrapWords } from '../../src/report/wrap.js';
import { rules } from '../../src/rules/index.js';
import { parseManifests } from '../../src/sources/parse.js';
import { ROOT, run } from '../cli/run.js';

const input = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 1
---
apiVersion: v1
kind: Pod
metadata: {name: debug}
spec: {containers: [{name: c, image: busybox}]}
`;
const selected = rules.filter((r) => ['single-replica', 'singleton-pod'].includes(r.id));
const { objects } = parseManifests(input, 'app.yaml');
const judged = check(objects, { rules: selected });

const LONG_WORD = `https://example.com/${'x'.repeat(120)}`;
const DETAIL =
  'A crash, an eviction or a node failure takes it down until a replacement is Ready, which can take ' +
  `minutes on a busy cluster. Set spec.replicas: 2 or more; see ${LONG_WORD} for the whole story.`;
/** The Deployment's finding gets DETAIL, the Pod's none. */
const result: CheckResult = {
  ...judged,
  findings: judged.findings.map((f) => ({ ...f, detail: f.rule === 'single-replica' ? DETAIL : '' })),
};
const ctx: ReportContext = {
  toolVersion: '9.9.9',
  rules: selected,
  color: false,
  failOn: 'error',
  docsBaseUrl: DOCS_BASE_URL,
};
const headlineOf = (rule: string): string => result.findings.find((f) => f.rule === rule)!.message;

/** The lines under line `i` indented by at least `indent` spaces. */
function linesUnder(lines: readonly string[], i: number, indent: number): string[] {
  const out: string[] = [];
  for (const l of lines.slice(i + 1)) {
    if (!l.startsWith(' '.repeat(indent)) || l.trim() === '') break;
    out.push(l);
  }
  return out;
}

describe('wrapWords', () => {
  it('fills lines up to the width, breaking only between words', () => {
    expect(wrapWords('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
    expect(wrapWords('aa bb cc dd', 4)).toEqual(['aa', 'bb', 'cc', 'dd']);
    expect(wrapWords('  aa \n bb  ', 80)).toEqual(['aa bb']);
    expect(wrapWords('', 80)).toEqual([]);
  });

  it('gives a word longer than the width a line of its own, whole', () => {
    expect(wrapWords(`a ${'x'.repeat(12)} b`, 5)).toEqual(['a', 'x'.repeat(12), 'b']);
  });
});

describe('text: the detail under the headline', () => {
  const lines = formatters.text(result, ctx).split('\n');
  const at = lines.findIndex((l) => l.includes(headlineOf('single-replica')));

  it('is indented to the headline’s first column and wrapped at words to the default width (100)', () => {
    expect(lines[at]).toMatch(/^ {4}5:3 {5}error {3}Deployment web runs 1 replica {2}single-replica$/);
    const column = lines[at]!.indexOf(headlineOf('single-replica'));
    expect(column).toBe(20);
    const under = linesUnder(lines, at, column);
    expect(under.length).toBeGreaterThan(1);
    for (const l of under) expect(l).toMatch(new RegExp(`^ {${column}}\\S`));
    // Every word whole, in order: joined back, the lines are the detail.
    expect(under.map((l) => l.trim()).join(' ')).toBe(DETAIL);
    for (const l of under) if (!l.includes(LONG_WORD)) expect(l.length).toBeLessThanOrEqual(DEFAULT_WIDTH);
    // The URL is longer than a line can be: it stands alone rather than being cut.
    expect(under).toContain(' '.repeat(column) + LONG_WORD);
    // Each line is as full as it can be: its next word would not have fitted.
    for (let i = 0; i + 1 < under.length; i++) {
      const next = under[i + 1]!.trim().split(' ')[0]!;
      expect(under[i]!.length + 1 + next.length).toBeGreaterThan(DEFAULT_WIDTH);
    }
  });

  it('wraps to the width the context gives (a terminal’s)', () => {
    const narrow = formatters.text(result, { ...ctx, width: 50 }).split('\n');
    const under = linesUnder(narrow, at, 20);
    expect(under.map((l) => l.trim()).join(' ')).toBe(DETAIL);
    for (const l of under) if (!l.includes(LONG_WORD)) expect(l.length).toBeLessThanOrEqual(50);
    expect(under.length).toBeGreaterThan(linesUnder(lines, at, 20).length);
  });

  it('shows nothing for an empty detail: the next line is the next object', () => {
    const pod = lines.findIndex((l) => l.includes(headlineOf('singleton-pod')));
    expect(lines[pod + 1]).toBe('');
  });

  it('for a live object (no position column), starts at the headline’s column 12', () => {
    const live = { ...result, findings: result.findings.map(({ location: _l, ...f }) => f) };
    const out = formatters.text(live, ctx).split('\n');
    const i = out.findIndex((l) => l.includes(headlineOf('single-replica')));
    expect(out[i]!.indexOf(headlineOf('single-replica'))).toBe(12);
    expect(
      linesUnder(out, i, 12)
        .map((l) => l.trim())
        .join(' '),
    ).toBe(DETAIL);
  });

  it('--compact: headlines only, as the report was before details', () => {
    const compact = formatters.text(result, { ...ctx, compact: true });
    const noDetails = formatters.text(
      { ...result, findings: result.findings.map((f) => ({ ...f, detail: '' })) },
      ctx,
    );
    expect(compact).toBe(noDetails);
    expect(compact).not.toContain('A crash');
    expect(compact.split('\n')).toContain(lines[at]);
  });
});

describe('the other formats keep both texts', () => {
  it('json: message is the headline, detail beside it; still version 1', () => {
    const out = JSON.parse(formatters.json(result, ctx)) as {
      version: number;
      findings: { rule: string; message: string; detail: string }[];
    };
    expect(out.version).toBe(1);
    const web = out.findings.find((f) => f.rule === 'single-replica')!;
    expect(web.message).toBe(headlineOf('single-replica'));
    expect(web.detail).toBe(DETAIL);
    expect(out.findings.find((f) => f.rule === 'singleton-pod')!.detail).toBe('');
  });

  it('sarif: message.text is the headline, a blank line, then the detail', () => {
    const log = JSON.parse(formatters.sarif(result, ctx));
    const texts = Object.fromEntries(
      log.runs[0].results.map((r: { ruleId: string; message: { text: string } }) => [
        r.ruleId,
        r.message.text,
      ]),
    );
    expect(texts['single-replica']).toBe(`${headlineOf('single-replica')}\n\n${DETAIL}`);
    expect(texts['singleton-pod']).toBe(headlineOf('singleton-pod'));
  });

  it('junit: the failure’s message attribute is the headline, its body carries the detail', () => {
    const doc = new XMLParser({ ignoreAttributes: false }).parse(formatters.junit(result, ctx));
    const cases = doc.testsuites.testsuite.testcase as {
      '@_name': string;
      failure: { '@_message': string; '#text': string };
    }[];
    const web = cases.find((c) => c['@_name'] === 'shop/Deployment/web')!;
    expect(web.failure['@_message']).toBe(headlineOf('single-replica'));
    expect(web.failure['#text']).toBe(
      `error single-replica: ${headlineOf('single-replica')} (app.yaml:5:3)\n  ${DETAIL}`,
    );
    const pod = cases.find((c) => c['@_name'] === 'default/Pod/debug')!;
    expect(pod.failure['#text']).toMatch(
      new RegExp(
        `^error singleton-pod: ${escapeRe(headlineOf('singleton-pod'))} \\(app\\.yaml:\\d+:\\d+\\)$`,
      ),
    );
  });

  it('md: the headline, then the detail under it in the cell', () => {
    const rows = formatters.md(result, ctx).split('\n');
    expect(rows.find((r) => r.includes('single-replica'))).toMatch(
      new RegExp(`\\| ${escapeRe(headlineOf('single-replica'))}<br>${escapeRe(DETAIL)} \\|$`),
    );
    expect(rows.find((r) => r.includes('[singleton-pod]'))).toMatch(
      new RegExp(`\\| ${escapeRe(headlineOf('singleton-pod'))} \\|$`),
    );
  });
});

describe('check and scan take --compact; text wraps to the terminal', () => {
  /** Runs check with stdout a terminal of `columns` columns. */
  async function inTerminal(args: string[], columns: number): Promise<string> {
    let stdout = '';
    await main(args, {
      stdout: (s) => (stdout += s),
      stderr: () => undefined,
      readStdin: async () => '',
      cwd: ROOT,
      env: { NO_COLOR: '1' },
      stdoutIsTTY: true,
      stdoutColumns: columns,
    });
    return stdout;
  }

  it('check examples/bad-app shows details; --compact does not', async () => {
    const full = (await run(['check', 'examples/bad-app'])).stdout;
    const compact = (await run(['check', 'examples/bad-app', '--compact'])).stdout;
    const isFinding = (l: string): boolean => /^ {4}\d+:\d+ +(error|warning|info) /.test(l);
    expect(full.split('\n').filter(isFinding)).toEqual(compact.split('\n').filter(isFinding));
    // single-replica's detail is there (a split rule), under its headline, and only without --compact.
    expect(full).toContain('A crash, an eviction or a node failure');
    expect(compact).not.toContain('A crash, an eviction or a node failure');
    expect(full.split('\n').length).toBeGreaterThan(compact.split('\n').length);
    expect((await run(['scan', '--help'])).stdout).toContain('--compact');
  });

  it('a terminal’s width wraps the detail; output that is not a terminal uses 100 columns', async () => {
    const narrow = await inTerminal(['check', 'examples/bad-app'], 60);
    const detailLines = (out: string): string[] =>
      out.split('\n').filter((l) => /^ {12,}\S/.test(l) && !/^ {4}\d/.test(l));
    expect(detailLines(narrow).length).toBeGreaterThan(0);
    for (const l of detailLines(narrow)) if (!/\S{40,}/.test(l)) expect(l.length).toBeLessThanOrEqual(60);
    const piped = (await run(['check', 'examples/bad-app'])).stdout;
    expect(detailLines(piped).some((l) => l.length > 60)).toBe(true);
    for (const l of detailLines(piped)) if (!/\S{60,}/.test(l)) expect(l.length).toBeLessThanOrEqual(100);
  });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
