import { lexer, type Token, type Tokens } from 'marked';

/** How text is styled on the terminal: identity functions when colour is off. */
export interface TerminalStyle {
  readonly color: boolean;
  bold(s: string): string;
  italic(s: string): string;
  underline(s: string): string;
  dim(s: string): string;
  code(s: string): string;
}

/**
 * A rule's docs page for a terminal: Markdown's markers (`**`, fences, `[]()`) become styles, or
 * disappear when colour is off, so `kubeha explain` reads like a man page and not like source.
 * Code spans keep their backticks without colour: they are the only sign left that a word is YAML.
 * A link to another rule's page says how to read it here (`kubeha explain <id>`), and a link to
 * another docs page names the file in the package.
 */
export function renderTerminalMarkdown(markdown: string, style: TerminalStyle): string {
  const blocks = renderBlocks(lexer(markdown), style);
  return blocks.join('\n\n') + '\n';
}

function renderBlocks(tokens: readonly Token[], style: TerminalStyle): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    const block = renderBlock(token, style);
    if (block !== undefined) out.push(block);
  }
  return out;
}

function renderBlock(token: Token, style: TerminalStyle): string | undefined {
  switch (token.type) {
    case 'space':
      return undefined;
    case 'heading': {
      const t = token as Tokens.Heading;
      const text = renderInline(t.tokens, style);
      return t.depth === 1 ? style.bold(style.underline(text)) : style.bold(text);
    }
    case 'paragraph':
      return renderInline((token as Tokens.Paragraph).tokens, style);
    case 'text': {
      const t = token as Tokens.Text;
      return t.tokens ? renderInline(t.tokens, style) : t.text;
    }
    case 'code':
      return (token as Tokens.Code).text
        .split('\n')
        .map((line) => (line === '' ? '' : style.code('    ' + line)))
        .join('\n');
    case 'blockquote':
      return renderBlocks((token as Tokens.Blockquote).tokens, style)
        .join('\n\n')
        .split('\n')
        .map((line) => style.dim('│ ') + line)
        .join('\n');
    case 'list':
      return renderList(token as Tokens.List, style);
    case 'table':
      return renderTable(token as Tokens.Table, style);
    case 'hr':
      return style.dim('─'.repeat(40));
    case 'html':
      return (token as Tokens.HTML).text.trimEnd();
    default:
      return 'raw' in token && typeof token.raw === 'string' ? token.raw.trimEnd() : undefined;
  }
}

function renderList(list: Tokens.List, style: TerminalStyle): string {
  const start = typeof list.start === 'number' ? list.start : 1;
  return list.items
    .map((item, i) => {
      const marker = list.ordered ? `${start + i}. ` : '• ';
      const body = renderBlocks(item.tokens, style).join('\n');
      const pad = ' '.repeat(marker.length);
      return body
        .split('\n')
        .map((line, n) => (n === 0 ? '  ' + marker + line : line === '' ? '' : '  ' + pad + line))
        .join('\n');
    })
    .join('\n');
}

function renderTable(table: Tokens.Table, style: TerminalStyle): string {
  const header = table.header.map((cell) => renderInline(cell.tokens, style));
  const rows = table.rows.map((row) => row.map((cell) => renderInline(cell.tokens, style)));
  const widths = header.map((h, i) =>
    Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => cell + ' '.repeat(Math.max(0, (widths[i] ?? 0) - visibleLength(cell))))
      .join('  ')
      .trimEnd();
  return [
    style.bold(line(header)),
    style.dim(widths.map((w) => '─'.repeat(w)).join('  ')),
    ...rows.map(line),
  ].join('\n');
}

function renderInline(tokens: readonly Token[] | undefined, style: TerminalStyle): string {
  if (!tokens) return '';
  return tokens.map((token) => renderInlineToken(token, style)).join('');
}

function renderInlineToken(token: Token, style: TerminalStyle): string {
  switch (token.type) {
    case 'text': {
      const t = token as Tokens.Text;
      return t.tokens ? renderInline(t.tokens, style) : t.text;
    }
    case 'escape':
      return (token as Tokens.Escape).text;
    case 'strong':
      return style.bold(renderInline((token as Tokens.Strong).tokens, style));
    case 'em':
      return style.italic(renderInline((token as Tokens.Em).tokens, style));
    case 'del':
      return renderInline((token as Tokens.Del).tokens, style);
    case 'codespan': {
      const text = (token as Tokens.Codespan).text;
      return style.color ? style.code(text) : '`' + text + '`';
    }
    case 'br':
      return '\n';
    case 'link':
      return renderLink(token as Tokens.Link, style);
    case 'image':
      return (token as Tokens.Image).text;
    case 'html':
      return (token as Tokens.HTML).text;
    default:
      return 'raw' in token && typeof token.raw === 'string' ? token.raw : '';
  }
}

function renderLink(link: Tokens.Link, style: TerminalStyle): string {
  const text = renderInline(link.tokens, style);
  const target = linkTarget(link.href);
  if (target === undefined || target === text) return style.underline(text);
  return `${style.underline(text)} ${style.dim(`(${target})`)}`;
}

/** Where a link from a page under docs/rules leads, said so that a terminal user can follow it. */
function linkTarget(href: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return href;
  if (href.startsWith('#')) return undefined;
  const [path = '', anchor] = href.split('#', 2);
  const rule = /^(?:\.\/)?([a-z0-9-]+)\.md$/.exec(path);
  if (rule) return `kubeha explain ${rule[1]}`;
  const doc = /^\.\.\/([^/]+\.md)$/.exec(path);
  if (doc) return `docs/${doc[1]}${anchor ? '#' + anchor : ''}`;
  return href;
}

/** Width on the terminal: colour codes take none. */
function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}
