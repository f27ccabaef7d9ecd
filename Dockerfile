# syntax=docker/dockerfile:1
# Multi-stage build: compile TypeScript, then a slim runtime image. Two runtime targets: `runtime` (the
# default, last stage) carries Chromium for the browser source (ROLE=all or ingest); `api`
# (`docker build --target api`) is the same without Chromium for API replicas (ROLE=api, no source).
# The runtime runs as the unprivileged `node` user; tini forwards SIGTERM so the server drains (WebSocket
# clients get 1001, requests in flight finish). test/deploy/dockerfile.test.ts checks these facts.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs ./scripts/
COPY src ./src
# The build (scripts/build.mjs) also copies the static files into dist and marks it complete.
RUN npm run build && npm prune --omit=dev

# API replicas: no Chromium (they run no source).
FROM node:20-bookworm-slim AS api
ENV NODE_ENV=production \
    PORT=3001 \
    HOST=0.0.0.0 \
    ROLE=api
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# Static files tsc does not emit: the dashboard and the simulated betting site.
COPY --from=build --chown=node:node /app/src/http/dashboard/static ./dist/http/dashboard/static
COPY --from=build --chown=node:node /app/src/sim/site/static ./dist/sim/site/static
COPY package.json ./
COPY bin ./bin
COPY config ./config
USER node
EXPOSE 3001
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3001)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "bin/oddsgate.js", "start"]

# Ingest (and ROLE=all): with Chromium for the browser source. The default target.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    CHROMIUM_PATH=/usr/bin/chromium \
    PORT=3001 \
    HOST=0.0.0.0 \
    ROLE=all
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY config ./config
USER node
EXPOSE 3001
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3001)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "bin/oddsgate.js", "start"]
