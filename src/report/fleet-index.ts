import { fleetHtml } from './fleet-html.js';
import { fleetJson } from './fleet-json.js';
import { fleetJunit } from './fleet-junit.js';
import { fleetMd } from './fleet-md.js';
import { fleetSarif } from './fleet-sarif.js';
import { fleetText } from './fleet-text.js';
import type { FleetFormatter } from './fleet-types.js';
import type { OutputFormat } from './index.js';

/** The report of a fleet scan in each format `scan` writes. */
export const fleetFormatters = {
  text: fleetText,
  json: fleetJson,
  sarif: fleetSarif,
  junit: fleetJunit,
  md: fleetMd,
  html: fleetHtml,
} satisfies Record<OutputFormat, FleetFormatter>;
