import type { FailOn } from '../simulate/severity.js';
import type { SimReport } from '../simulate/types.js';

export interface SimReportContext {
  toolVersion: string;
  color: boolean;
  failOn: FailOn;
  /** Terminal width for the placement map (text). */
  width?: number;
}

export type SimFormatter = (report: SimReport, ctx: SimReportContext) => string;
