/** The HTTP server of `preflight start` and `preflight worker`: readiness, metrics, and a one-line busy port. */
import type { IncomingMessage } from 'node:http';
import { judgeLink } from '../bot/chat-link.ts';
import type { Config } from '../config/config.ts';
import { createKeySpace } from '../core/index.ts';
import { FORWARD_KEY } from '../infra/http/http-forward.ts';
import type { HttpLimits } from '../infra/http/http-limits.ts';
import { createHttpServer, type HttpServer } from '../infra/http/http-server.ts';
import type { Metrics } from '../infra/metrics.ts';
import { readRedisTopology } from '../infra/redis/redis-topology.ts';
import type { Preflight } from '../main.ts';
import { CliError } from './cli-error.ts';
import { type IngressSettings, type PreparedIngress, prepareSlackIngress } from './slack-ingress.ts';

/** Whether Redis answers in the expected topology and takes a write, within `timeoutMs` (what /readyz checks). */
function checkRedis(preflight: Preflight, timeoutMs?: number) {
  return readRedisTopology(
    preflight.redis,
    preflight.connector.target,
    timeoutMs,
    createKeySpace(preflight.prefix).seen('readyz-write'),
  );
}

/**
 * `preflight_redis_up`: 1 while Redis answers as /readyz wants it, 0 while it does not. The gauges read from Redis
 * are left out of a scrape while it is away, so this is the series an alert sees the outage by, and it is 1 again
 * on the first scrape after Redis is back.
 */
export function collectRedisUp(metrics: Metrics, preflight: Preflight): void {
  metrics.gauge(
    'preflight_redis_up',
    'Whether Redis answered this scrape with a writable primary (1) or not (0): nothing is recorded, run or sent while it is 0.',
    [],
    async () => [{ labels: {}, value: (await checkRedis(preflight, 1_500)).ok ? 1 : 0 }],
  );
  metrics.gauge(
    'preflight_redis_data_lost',
    'Whether Redis came back without the data Preflight kept there (1) while this process ran, or not (0): deployments, approvals and pending pages it held are gone.',
    [],
    async () => [{ labels: {}, value: preflight.redisData.lost() === undefined ? 0 : 1 }],
  );
}

/**
 * Creates the server: /readyz is ready when Redis answers in the expected topology, this process's workers run, and
 * no chat link (Socket Mode, Discord's gateway) has been down longer than a reconnect takes.
 */
export function createPreflightHttp(
  preflight: Preflight,
  metrics: Metrics,
  /** True once a graceful stop began: not ready (send traffic elsewhere), though still answering meanwhile. */
  stopping: () => boolean = () => false,
): HttpServer {
  return createHttpServer({
    async ready() {
      if (stopping())
        return { ok: false, checks: { process: 'stopping: finishing its running jobs, then it exits' } };
      // Bounded: while a failover is under way commands wait for the new primary, and /readyz must still answer.
      const topology = await checkRedis(preflight);
      const lost = topology.ok ? await preflight.redisData.check() : preflight.redisData.lost();
      const redis = lost ?? (topology.ok ? 'ok' : 'no writable primary');
      const workers = preflight.jobs.ready() ? 'running' : 'not running';
      // A chat link down longer than a reconnect takes: the bot hears nothing, so it is not ready.
      const links = Object.entries(preflight.chat.links).map(
        ([platform, link]) => [platform, judgeLink(link(), Date.now())] as const,
      );
      return {
        ok: topology.ok && lost === undefined && workers === 'running' && links.every(([, l]) => l.ok),
        checks: {
          redis,
          topology: topology.summary,
          workers,
          ...Object.fromEntries(links.map(([platform, l]) => [platform, l.text])),
          // Told, not judged: the bot still hears and records what people do while a platform refuses its sends.
          ...preflight.chat.sends.failing(Date.now()),
        },
      };
    },
    metrics: () => metrics.render(),
    log: preflight.logger,
  });
}

/** What to tell the person when the HTTP server cannot listen on `port`: one line naming PORT. */
function listenFailure(port: number, error: NodeJS.ErrnoException): string {
  if (error.code === 'EADDRINUSE') return `PORT ${port} is already in use; set PORT to a free port`;
  if (error.code === 'EACCES')
    return `PORT ${port} is not allowed for this user (ports below 1024 need root, and Preflight runs as a plain user); set PORT to 1024 or above, e.g. 3000`;
  return `PORT ${port}: cannot listen there (${error.message}); set PORT to a free port`;
}

/** Listens on `port`; a port in use or not allowed is a one-line error naming PORT. */
export function listenOrExit(http: HttpServer, port: number): Promise<number> {
  return http.listen(port).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(listenFailure(port, error), 2);
  });
}

/** Where the process answers HTTP: its port, and how to stop answering. */
export interface Listening {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Listens on PORT. In Slack's HTTP mode the ingress thread (slack-ingress.ts) takes the port, so a slash command is
 * acknowledged without waiting for the bot's work, and the bot's server listens behind it on the loopback
 * interface; otherwise the bot's server takes the port itself. `lost` is told when the port cannot be kept.
 */
export async function listenPublicly(
  http: HttpServer,
  preflight: Preflight,
  config: Pick<Config, 'slack' | 'port' | 'logLevel'>,
  lost: (error: Error) => void,
  options: {
    /** The ingress thread started ahead, while the bot started (prepareSlackIngress). */
    readonly prepared?: PreparedIngress;
    /** In place of HTTP_LIMITS (tests of slow clients). */
    readonly limits?: HttpLimits;
    /** The bot's own Slack user: with it the ingress thread records plain reactions too. */
    readonly slackBotUserId?: string | undefined;
  } = {},
): Promise<Listening> {
  const { limits } = options;
  const slack = config.slack;
  if (slack?.mode !== 'http') {
    options.prepared?.discard();
    const port = await listenOrExit(http, config.port);
    return { port, close: () => http.close() };
  }
  const internalPort = await http.listen(0, '127.0.0.1');
  const settings: IngressSettings = {
    port: config.port,
    host: '0.0.0.0',
    internalPort,
    forwardKey: FORWARD_KEY,
    signingSecret: slack.signingSecret,
    botUserId: options.slackBotUserId,
    logLevel: config.logLevel,
    target: preflight.connector.target,
    prefix: preflight.prefix,
    ...(limits && { limits }),
  };
  const thread = options.prepared ?? prepareSlackIngress();
  const ingress = await thread
    .listen(settings, preflight.logger, lost)
    .catch(async (error: NodeJS.ErrnoException) => {
      await http.close();
      throw new CliError(listenFailure(config.port, error), 2);
    });
  return {
    port: ingress.port,
    async close() {
      await ingress.close();
      await http.close();
    },
  };
}

/** Answers `path` with 404 and `error` (what to do instead): a route this process does not serve, said why. */
export function explainRoute(
  http: HttpServer,
  methods: readonly string[],
  path: string,
  error: string,
  heard?: (req: IncomingMessage) => void,
): void {
  for (const method of methods)
    http.route(method, path, (req, res) => {
      req.resume();
      heard?.(req);
      res.writeHead(404, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ error }));
    });
}
