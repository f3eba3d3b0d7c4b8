import { html } from './html.js';
import { json } from './json.js';
import { junit } from './junit.js';
import { md } from './md.js';
import { sarif } from './sarif.js';
import { text } from './text.js';
import type { Formatter } from './types.js';

export const formatters = { text, json, sarif, junit, md, html } satisfies Record<string, Formatter>;
export type OutputFormat = keyof typeof formatters;
export const OUTPUT_FORMATS = Object.keys(formatters) as OutputFormat[];
