/** How the text and HTML reports write amounts, windows and verdicts. Pure. */
import type { UsageWindow } from '../model/usage.js';
import type { JsonContainer, JsonWorkload, RightsizeReport } from './report.js';

/** Cores as a manifest writes CPU: "250m", "2", "1500m"; "—" when unset. */
export function cpuText(cores: number | null | undefined): string {
  if (cores === null || cores === undefined) return '—';
  const milli = Math.ceil(Math.round(cores * 1e6) / 1e3);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Cores for people, for totals such as a zone's headroom: "6.4", "0.25". */
export function coresText(cores: number): string {
  return String(Number(cores.toFixed(2)));
}

/** Bytes for people: "512Mi", "1.5Gi", "287.3Mi"; "—" when unset. */
export function memoryText(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  const trim = (n: number, digits: number): string => String(Number(n.toFixed(digits)));
  if (Math.abs(bytes) >= 2 ** 30) return `${trim(bytes / 2 ** 30, 2)}Gi`;
  if (Math.abs(bytes) >= 2 ** 20) return `${trim(bytes / 2 ** 20, 1)}Mi`;
  if (Math.abs(bytes) >= 2 ** 10) return `${trim(bytes / 2 ** 10, 1)}Ki`;
  return `${Math.round(bytes)}`;
}

/** "8d", "1h", "10m", "30s": the largest whole unit. */
export function durationText(seconds: number): string {
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
  ] as const)
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  return `${seconds}s`;
}

function isoMinute(unix: number): string {
  return new Date(unix * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** The line every report starts with: where the usage came from, and whether the window is short. */
export function sourceLine(source: RightsizeReport['source']): string {
  const w: UsageWindow = source.window;
  const span = `${durationText(w.end - w.start)} of usage at ${durationText(w.step)} steps, up to ${isoMinute(w.end)}`;
  const from =
    source.kind === 'prometheus'
      ? `Prometheus ${source.url ?? ''}`.trim()
      : 'the metrics API (metrics.k8s.io)';
  const short = source.shortWindow
    ? `; a SHORT window: VPA's defaults weigh 8 days of history, so these numbers only reflect the load of these ${durationText(w.end - w.start)}`
    : '';
  return `usage from ${from}: ${span}${short}`;
}

/** "node loss" for "node-loss". */
export function scenarioText(kind: string): string {
  return kind.replace('-', ' ');
}

/** VPA's target and bounds of a container: "cpu 250m (200m–400m), memory 512Mi (…)"; "not controlled" for a resource its VPA leaves alone. */
export function vpaTargetText(v: NonNullable<JsonContainer['vpa']>): string {
  const cpu =
    v.target.cpuCores === null
      ? 'not controlled'
      : `${cpuText(v.target.cpuCores)} (${cpuText(v.lowerBound.cpuCores)}–${cpuText(v.upperBound.cpuCores)})`;
  const memory =
    v.target.memoryBytes === null
      ? 'not controlled'
      : `${memoryText(v.target.memoryBytes)} (${memoryText(v.lowerBound.memoryBytes)}–${memoryText(v.upperBound.memoryBytes)})`;
  return `cpu ${cpu}, memory ${memory}`;
}

/** What a workload's VPA means for these numbers, by its update mode. */
export function vpaLine(vpa: NonNullable<JsonWorkload['verticalPodAutoscaler']>): string {
  const acts =
    vpa.updateMode === 'Off'
      ? ''
      : vpa.updateMode === 'Initial'
        ? '; it also sets requests on pods as they are created'
        : '; it also sets requests on running pods itself';
  return `VPA ${vpa.name} (updateMode ${vpa.updateMode}): its policy bounds these numbers${acts}`;
}

/** What the VPA's own status recommends, when a recommender wrote one: "app cpu 296m, memory 768Mi; …". */
export function vpaStatusLine(vpa: NonNullable<JsonWorkload['verticalPodAutoscaler']>): string | undefined {
  if (vpa.statusTargets.length === 0) return undefined;
  const each = vpa.statusTargets.map(
    (t) => `${t.container} cpu ${cpuText(t.target.cpuCores)}, memory ${memoryText(t.target.memoryBytes)}`,
  );
  return `its status (a running recommender) recommends ${each.join('; ')}`;
}
