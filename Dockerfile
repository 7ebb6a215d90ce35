# syntax=docker/dockerfile:1
# Preflight: the bot (`start`) or a scale-out worker (`worker`). Node 24 runs the TypeScript sources directly.
#
# Runbook steps run inside this image, so the tools they call must be in it. Either name Debian packages at build
# time:   docker build --build-arg EXTRA_PACKAGES="curl git make python3" -t preflight .
# or build your own image on top of this one: examples/docker/Dockerfile.

FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; install scripts are not needed (msgpackr falls back to plain JavaScript).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:24-slim
ARG EXTRA_PACKAGES=""
ENV NODE_ENV=production PORT=3000 RUNBOOK=/runbooks
# V8 sizes its young generation by the host's memory (124 MB resident on a 24 GB host) and keeps the pages once
# it has them; 16 MB semi-spaces keep the bot's RSS about 100 MB lower and steady, at the same throughput.
ENV NODE_OPTIONS=--max-semi-space-size=16
# glibc gives threads that allocate (V8's collector and compiler threads, libuv's pool) arenas of their own; with
# two arenas the memory outside V8 stopped jumping by 20-35 MB now and then over 10,000 steps (npm run bench).
ENV MALLOC_ARENA_MAX=2
# glibc's mmap threshold grows with the largest block freed (up to 32 MB), so later large blocks come from the heap,
# whose freed pages stay mapped: with the threshold fixed at 128 KB they are given back (10,000 steps, npm run bench:
# +23 and +41 MB outside V8 without, -3 and +1 MB with).
ENV MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072
# bash runs the runbook steps; tini reaps the processes they leave and forwards signals for a graceful stop.
# /app/.preflight is the data folder (terminal-chat logs, the sandbox's state); the node user owns it.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends bash tini ca-certificates ${EXTRA_PACKAGES} \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /runbooks /app/.preflight \
 && chown node:node /runbooks /app/.preflight
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json runbook.schema.json ./
COPY --chown=node:node bin ./bin
COPY --chown=node:node src ./src
# The sandbox's toy service, for runbooks/toy.yaml (the compose file's default runbook).
COPY --chown=node:node examples/sandbox ./examples/sandbox
COPY --chown=node:node runbooks /runbooks
USER node
EXPOSE 3000
# Both roles serve GET /readyz on PORT (the worker too, since PORT is set here): Redis reachable, workers running.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["tini", "--", "node", "bin/preflight.js"]
CMD ["start"]
