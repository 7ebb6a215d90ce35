/** `preflight worker`: job workers only, for scale-out against one shared Redis. */
import { ConfigError, readConfig } from '../config/config.ts';
import { createMetrics } from '../infra/metrics.ts';
import { createPreflight } from '../main.ts';
import { CliError } from './cli-error.ts';
import { primeMetrics } from './http-routes.ts';
import { loadRunbooksOrExit } from './load-runbooks-or-exit.ts';
import { collectRedisUp, createPreflightHttp, listenOrExit } from './serve-http.ts';
import { logUnhandledRejections, stopGracefully, waitForShutdown } from './shutdown.ts';
import { explainWorkerRoutes } from './worker-routes.ts';

/** Runs workers until SIGTERM or SIGINT. */
export async function runWorker(env: Record<string, string | undefined>): Promise<number> {
  const config = readConfigOrExit(env);
  if (config.redis === undefined) {
    throw new CliError(
      'preflight worker needs REDIS_URL: workers share one Redis with the bot (the embedded Redis serves one process only)',
      2,
    );
  }
  // Checked before Redis is opened, as by preflight start: a bad runbook is one line naming the file, not a stack.
  await loadRunbooksOrExit(config.runbookPath);
  // What this worker does (steps, deliveries, pages) counts in its own /metrics; queue depths are the bot's.
  const metrics = createMetrics();
  const preflight = await createPreflight({
    config,
    env,
    work: true,
    logLibraryWarnings: true,
    telemetry: metrics.telemetry,
    refusals: metrics.refusals,
  });
  logUnhandledRejections(preflight.logger);
  primeMetrics(metrics, preflight);
  collectRedisUp(metrics, preflight);
  // With PORT set (as in the image), the worker answers GET /healthz, /readyz and /metrics there.
  let stopping = false;
  const http = env.PORT?.trim() ? createPreflightHttp(preflight, metrics, () => stopping) : undefined;
  if (http) explainWorkerRoutes(http, preflight.logger);
  try {
    const port = http && (await listenOrExit(http, config.port));
    preflight.logger.info(
      { runbooks: preflight.engine.runbooks.services(), ...(port !== undefined && { port }) },
      'preflight worker started',
    );
    await waitForShutdown(preflight.logger);
  } finally {
    stopping = true;
    await stopGracefully(
      async () => {
        await preflight.stop({ beforeClose: async () => await http?.close() });
      },
      preflight.redis,
      preflight.logger,
    );
  }
  return 0;
}

/** Reads the configuration, turning a bad variable into a one-line usage error. */
export function readConfigOrExit(env: Record<string, string | undefined>) {
  try {
    return readConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, 2);
    throw error;
  }
}
