import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const pages = readdirSync('docs').filter((f) => f.endsWith('.md') && f !== 'README.md');
const markdown = [
  'README.md',
  'docs/README.md',
  ...pages.map((p) => `docs/${p}`),
  ...readdirSync('docs/rules').map((p) => `docs/rules/${p}`),
];

/** Relative link targets of a Markdown file, outside code blocks and code spans. */
function relativeLinks(text: string): string[] {
  const prose = text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  const out: string[] = [];
  for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
    const href = m[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#')) continue;
    out.push(href.split('#')[0]!);
  }
  return out;
}

describe('the docs', () => {
  it('index every page in docs/README.md', () => {
    const index = readFileSync('docs/README.md', 'utf8');
    for (const page of pages) expect(index, page).toContain(`](${page})`);
  });

  it('link only to files that exist in the repository', () => {
    for (const file of markdown) {
      for (const href of relativeLinks(readFileSync(file, 'utf8'))) {
        const target = normalize(join(dirname(file), decodeURIComponent(href)));
        expect(target.startsWith('..'), `${file} links outside the repository: ${href}`).toBe(false);
        expect(existsSync(target), `${file} links to a missing ${href}`).toBe(true);
      }
    }
  });

  it("name every npm script in the README's development table", () => {
    const scripts = Object.keys(
      (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts,
    );
    const readme = readFileSync('README.md', 'utf8');
    const table = readme.slice(readme.indexOf('## Development'));
    for (const script of scripts) {
      const named =
        script === 'test'
          ? table.includes('`npm test`')
          : new RegExp(
              `npm run ${script.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s\`]|/ \`${script}\``,
            ).test(table);
      expect(named, script).toBe(true);
    }
  });
});
