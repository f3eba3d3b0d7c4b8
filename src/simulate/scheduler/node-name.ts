/** NodeName: a pod that names its node (spec.nodeName) fits only there. */
export const REASON_NODE_NAME = "node(s) didn't match the requested node name";

export function filterNodeName(podNodeName: string | undefined, nodeName: string): string | null {
  return podNodeName === undefined || podNodeName === nodeName ? null : REASON_NODE_NAME;
}
