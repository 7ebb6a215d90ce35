/** The HTTP server of `preflight start` and `preflight worker`: readiness, metrics, and a one-line busy port. */
import { createKeySpace } from '../core/index.ts';
import { createHttpServer, type HttpServer } from '../infra/http/http-server.ts';
import type { Metrics } from '../infra/metrics.ts';
import { readRedisTopology } from '../infra/redis/redis-topology.ts';
import type { Preflight } from '../main.ts';
import { CliError } from './cli-error.ts';

/** Creates the server: /readyz is ready when Redis answers in the expected topology and this process's workers run. */
export function createPreflightHttp(preflight: Preflight, metrics: Metrics): HttpServer {
  return createHttpServer({
    async ready() {
      // Bounded: while a failover is under way commands wait for the new primary, and /readyz must still answer.
      const topology = await readRedisTopology(
        preflight.redis,
        preflight.connector.target,
        undefined,
        createKeySpace(preflight.prefix).seen('readyz-write'),
      );
      const redis = topology.ok ? 'ok' : 'no writable primary';
      const workers = preflight.jobs.ready() ? 'running' : 'not running';
      return {
        ok: topology.ok && workers === 'running',
        checks: { redis, topology: topology.summary, workers },
      };
    },
    metrics: () => metrics.render(),
    log: preflight.logger,
  });
}

/** Listens on `port`; a port in use is a one-line error naming PORT. */
export function listenOrExit(http: HttpServer, port: number): Promise<number> {
  return http.listen(port).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(
      error.code === 'EADDRINUSE' ? `PORT ${port} is already in use; set PORT to a free port` : error.message,
      2,
    );
  });
}
