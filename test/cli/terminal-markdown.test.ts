import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import pc from 'picocolors';
import { renderTerminalMarkdown, type TerminalStyle } from '../../src/cli/terminal-markdown.js';

const plain: TerminalStyle = {
  color: false,
  bold: (s) => s,
  italic: (s) => s,
  underline: (s) => s,
  dim: (s) => s,
  code: (s) => s,
};
const c = pc.createColors(true);
const colored: TerminalStyle = {
  color: true,
  bold: c.bold,
  italic: c.italic,
  underline: c.underline,
  dim: c.dim,
  code: c.cyan,
};

describe('renderTerminalMarkdown', () => {
  it('drops the markers of emphasis and headings, and keeps code spans readable without colour', () => {
    const out = renderTerminalMarkdown(
      '# single-replica\n\n**Severity:** error · set `spec.replicas`\n',
      plain,
    );
    expect(out).toBe('single-replica\n\nSeverity: error · set `spec.replicas`\n');
  });

  it('styles instead of marking when colour is on', () => {
    const out = renderTerminalMarkdown('**Severity:** `x`\n', colored);
    expect(out).toBe(`${c.bold('Severity:')} ${c.cyan('x')}\n`);
  });

  it('indents code blocks without their fences', () => {
    const out = renderTerminalMarkdown('Bad\n\n```yaml\nspec:\n  replicas: 1\n```\n', plain);
    expect(out).toBe('Bad\n\n    spec:\n      replicas: 1\n');
  });

  it('says how to follow a link from a terminal', () => {
    const out = renderTerminalMarkdown(
      'See [hpa-invalid-range](hpa-invalid-range.md), [live](../live.md#whose-field-is-it) and [the guide](https://example.org/x).\n',
      plain,
    );
    expect(out).toBe(
      'See hpa-invalid-range (kubeha explain hpa-invalid-range), live (docs/live.md#whose-field-is-it) and the guide (https://example.org/x).\n',
    );
  });

  it('aligns tables and lists items with bullets', () => {
    const out = renderTerminalMarkdown(
      '| a | long header |\n|---|---|\n| **x** | y |\n\n- one\n- two `t`\n',
      plain,
    );
    expect(out).toBe('a  long header\n─  ───────────\nx  y\n\n  • one\n  • two `t`\n');
  });

  it('leaves no Markdown marker in any rule page', () => {
    for (const file of readdirSync('docs/rules').filter((f) => f.endsWith('.md'))) {
      const out = renderTerminalMarkdown(readFileSync(`docs/rules/${file}`, 'utf8'), plain);
      expect(out, file).not.toMatch(/\*\*|^#{1,6} |^```|\]\(/m);
    }
  });
});
