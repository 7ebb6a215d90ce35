/**
 * What the bench runs against: a real redis-server on a free port, the real bot in Slack HTTP mode (Bolt on
 * Preflight's HTTP server, /metrics wired as `preflight start` wires it), the fake Slack Web API from the tests,
 * and a fake PagerDuty Events API that records when each page arrives. Everything is driven by signed requests.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { collectMetrics } from '../src/cli/http-routes.ts';
import { listenPublicly } from '../src/cli/serve-http.ts';
import { startSlack } from '../src/cli/start-slack.ts';
import { readConfig } from '../src/config/config.ts';
import { type RedisServer, startRedisServer } from '../src/infra/embedded-redis.ts';
import { createHttpServer, type HttpServer } from '../src/infra/http/http-server.ts';
import { createMetrics, type Metrics } from '../src/infra/metrics.ts';
import { createPreflight, type Preflight } from '../src/main.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../tests/helpers/fake-slack-api.ts';
import {
  eventCallback,
  reactionEvent,
  type SlackRequest,
  signedHeaders,
  typedCommand,
} from '../tests/helpers/signed-slack.ts';
import { closeBenchHttp, postTimed, type SignedPost } from './bench-http.ts';
import { benchRunbooks } from './bench-runbooks.ts';

export interface PageArrival {
  readonly at: number;
  readonly body: Record<string, unknown>;
}

export interface BenchWorld {
  readonly preflight: Preflight;
  readonly fake: FakeSlackApi;
  readonly metrics: Metrics;
  readonly base: string;
  /** The bot's own server behind the ingress thread (Bolt on the bot's thread), for comparisons. */
  readonly botBase: string;
  readonly redisUrl: string;
  readonly redisPid: number;
  readonly pages: PageArrival[];
  /** A slash command in `channel`, signed now, and the tag its reply arrives under: to be sent from elsewhere. */
  signedCommand(user: string, line: string, channel: string): SignedPost & { tag: string };
  /** A slash command in `channel`; resolves with the HTTP round trip and the tag its reply arrives under. */
  command(user: string, line: string, channel: string): Promise<{ status: number; ms: number; tag: string }>;
  react(user: string, channel: string, ts: string, emoji: string): Promise<{ status: number; ms: number }>;
  stop(): Promise<void>;
}

/** A signed request to the bot, signed before the clock starts: the time is Preflight's answer, not the HMAC. */
const postSigned = (url: string, request: SlackRequest) =>
  postTimed(url, signedHeaders(request), request.body);

/** Wall-clock ms with sub-ms precision, comparable to the fake API's arrival times. */
export const nowMs = (): number => performance.timeOrigin + performance.now();

async function startFakePagerDuty(pages: PageArrival[]): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const at = nowMs();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      pages.push({ at, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') });
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end('{"status":"success","message":"Event processed"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/enqueue`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Starts everything; `stop()` ends every process and removes the temp folders. */
export async function startBenchWorld(options: { burstEnvironments: number }): Promise<BenchWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'preflight-bench-'));
  const runbookDir = join(dir, 'runbooks');
  await import('node:fs/promises').then((fs) => fs.mkdir(runbookDir));
  for (const [name, text] of Object.entries(benchRunbooks(options.burstEnvironments)))
    await writeFile(join(runbookDir, name), text);
  const redis: RedisServer = await startRedisServer({ dir: join(dir, 'redis'), env: process.env });
  const channels = ['solo', 'burst', 'gated', 'pager', 'history'];
  const fake = await startFakeSlackApi(channels.flatMap((c) => [c, `${c}-incidents`]));
  const pages: PageArrival[] = [];
  const pagerduty = await startFakePagerDuty(pages);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
  const config = readConfig({
    REDIS_URL: redis.url,
    RUNBOOK: runbookDir,
    SLACK_BOT_TOKEN: 'xoxb-bench-0000-preflight',
    SLACK_SIGNING_SECRET: (await import('../tests/helpers/signed-slack.ts')).SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    PAGERDUTY_ROUTING_KEY: 'R0BENCH0000000000000000000000000',
    PAGERDUTY_EVENTS_URL: pagerduty.url,
    LOG_LEVEL: 'warn',
    ...env,
  });
  const metrics = createMetrics();
  const preflight = await createPreflight({
    telemetry: metrics.telemetry,
    config,
    env,
    work: true,
    logDestination: new Writable({ write: (_c, _e, done) => done() }),
  });
  const http: HttpServer = createHttpServer({
    ready: async () => ({ ok: true, checks: {} }),
    metrics: () => metrics.render(),
    log: preflight.logger,
  });
  collectMetrics(metrics, preflight);
  const slack = await startSlack(preflight, config, http);
  preflight.chat.queue.start();
  // As `preflight start` listens: the ingress thread on the port, in front of the bot's server.
  const listening = await listenPublicly(
    http,
    preflight,
    { ...config, port: 0 },
    (error) => {
      throw error;
    },
    { slackBotUserId: slack.botUserId },
  );
  const base = `http://127.0.0.1:${listening.port}`;
  const events = `${base}/slack/events`;
  const signedCommand = (user: string, line: string, channel: string) => {
    const tag = randomUUID();
    const request = typedCommand({ user, line, channel, responseUrl: fake.responseUrl(tag), tag });
    return { url: events, headers: signedHeaders(request), body: request.body, tag };
  };
  return {
    preflight,
    fake,
    metrics,
    base,
    botBase: `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`,
    redisUrl: redis.url,
    redisPid: redis.pid,
    pages,
    signedCommand,
    async command(user, line, channel) {
      const { url, headers, body, tag } = signedCommand(user, line, channel);
      const answer = await postTimed(url, headers, body);
      return { status: answer.status, ms: answer.ms, tag };
    },
    async react(user, channel, ts, emoji) {
      const event = reactionEvent({ user, channel, ts, emoji });
      const answer = await postSigned(events, eventCallback(event, `Ev${randomUUID().slice(0, 10)}`));
      return { status: answer.status, ms: answer.ms };
    },
    async stop() {
      await slack.stop();
      await listening.close();
      await preflight.stop();
      closeBenchHttp();
      await fake.close();
      await pagerduty.close();
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
