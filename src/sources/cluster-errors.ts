/** The API server answered with an error status (403 Forbidden, 404 Not Found, …). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** No kubeconfig, an unknown context, or no answer from the API server: the scan cannot start. */
export class ClusterUnreachable extends Error {}
