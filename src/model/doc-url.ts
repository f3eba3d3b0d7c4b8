/** Where docs/rules/<id>.md is published: each rule's page says why it matters and how to fix it. */
export const DOCS_BASE_URL = 'https://github.com/kubeha/kubeha/blob/main/docs/rules/';

/** The page of rule `id` under `docsBaseUrl` (the published docs by default). */
export function ruleDocUrl(ctx: { docsBaseUrl: string }, id: string): string {
  return `${ctx.docsBaseUrl}${id}.md`;
}
