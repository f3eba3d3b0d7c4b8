import { simulateHtml } from './simulate-html.js';
import { simulateJson } from './simulate-json.js';
import { simulateMd } from './simulate-md.js';
import { simulateText } from './simulate-text.js';
import type { SimFormatter } from './simulate-types.js';

export const simFormatters = {
  text: simulateText,
  json: simulateJson,
  md: simulateMd,
  html: simulateHtml,
} satisfies Record<string, SimFormatter>;
export type SimOutputFormat = keyof typeof simFormatters;
export const SIM_OUTPUT_FORMATS = Object.keys(simFormatters) as SimOutputFormat[];
