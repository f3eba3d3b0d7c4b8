import { readFileSync } from 'node:fs';

/**
 * The OpenAPI artifact (kubernetes-<minor>.json, made by tools/openapi/generate.mjs from the real
 * kube-apiserver), read on first use only: a run that checks no built-in kind never pays for it.
 */

export const ARTIFACT_FILE = 'kubernetes-1.36.json';

/** One schema as the artifact keeps it (see tools/openapi/generate.mjs). */
export interface RawSchema {
  $ref?: string;
  type?: string;
  format?: string;
  oneOf?: string[];
  properties?: Record<string, RawSchema>;
  items?: RawSchema;
  additionalProperties?: RawSchema | boolean;
  required?: string[];
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
}

export interface Artifact {
  kubernetesVersion: string;
  source: string;
  /** "apps/v1/Deployment" → the schema's name. */
  kinds: Record<string, string>;
  schemas: Record<string, RawSchema>;
}

/**
 * Where the artifact is: beside this module (src/, and dist/ where the build copies it), or, from
 * the CLI bundle in dist/cli/, in dist/model/openapi/.
 */
const CANDIDATES = [`./${ARTIFACT_FILE}`, `../model/openapi/${ARTIFACT_FILE}`];

let cached: Artifact | undefined;

export function loadArtifact(): Artifact {
  if (cached) return cached;
  let lastError: unknown;
  for (const candidate of CANDIDATES) {
    try {
      cached = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as Artifact;
      return cached;
    } catch (e) {
      lastError = e;
    }
  }
  throw new Error(`kubeha's OpenAPI schemas (${ARTIFACT_FILE}) are missing: ${String(lastError)}`);
}
