import type { SimReport, Verdict } from '../simulate/types.js';

export interface SimReportContext {
  toolVersion: string;
  color: boolean;
  failOn: Verdict | 'none';
  /** Terminal width for the placement map (text). */
  width?: number;
}

export type SimFormatter = (report: SimReport, ctx: SimReportContext) => string;
