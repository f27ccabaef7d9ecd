# syntax=docker/dockerfile:1
# Multi-stage build: compile TypeScript, then a slim runtime image. Two runtime targets built FROM one
# `base` stage (Node, tini, port, signals, health check, entrypoint) and given the same
# application tree (the `app` stage): `runtime` (the default, last stage) adds Chromium for the browser
# source (ROLE=all or ingest); `api` (`docker build --target api`) is the same without any Chromium for
# API replicas (ROLE=api, no source).
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

# The application tree both targets ship (node_modules apart: it differs): the build output (static
# files included, see above) and what bin/oddsgate.js reads at start.
FROM scratch AS app
COPY --from=build /app/dist /app/dist
COPY package.json /app/
COPY bin /app/bin
COPY config /app/config

# What both runtime targets share. No application files here, so the Chromium layer of `runtime` stays
# cached across code changes; each target copies the app after its own packages and sets USER last.
FROM node:20-bookworm-slim AS base
ENV NODE_ENV=production \
    PORT=3001 \
    HOST=0.0.0.0
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
EXPOSE 3001
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3001)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "bin/oddsgate.js", "start"]

# The API replicas' node_modules: without the npm-shipped Chromium (@sparticuz/chromium, tens of MB),
# which only the browser source uses; src/sources/browser/chromium.ts treats it as optional (resolve
# fails -> null). Removed in a stage of its own so that the api image never has it in any layer.
FROM build AS api-modules
RUN rm -rf node_modules/@sparticuz/chromium

# API replicas: no Chromium (they run no source).
FROM base AS api
ENV ROLE=api
COPY --from=api-modules --chown=node:node /app/node_modules ./node_modules
COPY --from=app --chown=node:node /app ./
USER node

# Ingest (and ROLE=all): with Chromium for the browser source. The default target.
FROM base AS runtime
ENV CHROMIUM_PATH=/usr/bin/chromium \
    ROLE=all
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=app --chown=node:node /app ./
USER node
