# syntax=docker/dockerfile:1
# Preflight: the bot (`start`) or a scale-out worker (`worker`). Node 24 runs the TypeScript sources directly.

FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; install scripts are not needed (msgpackr falls back to plain JavaScript).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:24-slim
ENV NODE_ENV=production PORT=3000 RUNBOOK=/runbooks
# bash runs the runbook steps; tini reaps the processes they leave and forwards signals for a graceful stop.
RUN apt-get update \
 && apt-get install -y --no-install-recommends bash tini ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir /runbooks && chown node:node /runbooks
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json runbook.schema.json ./
COPY --chown=node:node bin ./bin
COPY --chown=node:node src ./src
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["tini", "--", "node", "bin/preflight.js"]
CMD ["start"]
