/** The newest Kubernetes minor whose API lifecycles kubeha knows (k8s.io/api v0.37): the default target version. */
export const DEFAULT_KUBE_VERSION = '1.37';

/**
 * The first minor whose API server keeps a PDB's spec.unhealthyPodEvictionPolicy by default (beta; alpha
 * behind the PDBUnhealthyPodEvictionPolicy gate in 1.26, GA in 1.31): an older one drops the field.
 */
export const UNHEALTHY_POD_EVICTION_POLICY_SINCE = '1.27';

/** "1.29", "v1.29.3"", "1.29.0-eks-1" → [1, 29]; undefined when it is not a version. */
export function parseMinor(version: string): [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** a ≥ b for "1.x" versions. */
export function atLeast(a: string, b: string): boolean {
  const pa = parseMinor(a);
  const pb = parseMinor(b);
  if (!pa || !pb) return false;
  return pa[0] !== pb[0] ? pa[0] > pb[0] : pa[1] >= pb[1];
}

/** "1.29" for "v1.29.3" (the minor a message names); the text itself when it is not a version. */
export function shortVersion(v: string | undefined): string {
  if (v === undefined) return DEFAULT_KUBE_VERSION;
  const m = parseMinor(v);
  return m ? `${m[0]}.${m[1]}` : v;
}
