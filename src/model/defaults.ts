/**
 * The number of zones a cluster is taken to spread over when neither the user (`--zones`, the
 * settings file) nor the input (Nodes with a zone label) says: three, the usual count of a
 * region's availability zones. The rules judge zone spread against it, the fixes raise replicas
 * toward it, and the shorthand simulated cluster has that many zones.
 */
export const DEFAULT_ZONES = 3;
