/** How bad a finding is; the simulator grades its verdicts with the same words. */
export type Severity = 'error' | 'warning' | 'info';
