# kubeha's image: the npm package (built and packed here, as `npm pack` makes it) installed globally
# on Node 20, run as a non-root user. deploy/serve.yaml and charts/kubeha-serve run it as
# `kubeha serve …`; any other command works the same (`docker run IMAGE check /manifests`).
# Built with any OCI builder from the repository root, e.g.
#   docker build -t ghcr.io/kubeha/kubeha:0.1.0 .
# docs/distribution.md says what it contains; test/distribution/dockerfile.test.ts runs its steps.

# The build stage: the sources, npm ci (whose prepare script builds dist/), then the package.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json tsconfig.build.json README.md ./
COPY scripts/ scripts/
COPY src/ src/
COPY docs/rules/ docs/rules/
RUN npm ci --no-audit --no-fund --loglevel=error \
  && npm pack --ignore-scripts --loglevel=error \
  && mv kubeha-*.tgz kubeha.tgz

# The image: Node 20 and the installed package with its runtime dependencies, nothing else of the build.
FROM node:20-bookworm-slim
COPY --from=build /src/kubeha.tgz /tmp/kubeha.tgz
RUN npm install -g --no-audit --no-fund --loglevel=error /tmp/kubeha.tgz \
  && rm /tmp/kubeha.tgz \
  && npm cache clean --force
# The same user as the Deployment's runAsUser (no shell login, no home to write).
USER 65532:65532
ENTRYPOINT ["kubeha"]
CMD ["--help"]
