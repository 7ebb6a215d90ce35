/**
 * The ingress thread (slack-ingress.ts starts it): it owns Preflight's public HTTP port. A plain slash command
 * (slack-plain-command.ts) and a plain reaction (slack-plain-reaction.ts) are recorded in the inbox and acknowledged
 * here, on a thread that does nothing else, so their acknowledgement never waits behind the bot's work; every other
 * request goes on, once read whole, to the bot's own server on the loopback interface, unchanged (one whose body is
 * over 1 MB, without it, saying so). It listens once told where (its modules load meanwhile); told to close, it
 * stops listening and ends.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import pino from 'pino';
import { commandEntry, recordOrSay } from '../bot/slack/slack-command-record.ts';
import { SLACK_EVENTS_PATH } from '../bot/slack/slack-events-path.ts';
import { plainSlashCommand } from '../bot/slack/slack-plain-command.ts';
import { plainReaction } from '../bot/slack/slack-plain-reaction.ts';
import { createLearningRedactor } from '../core/index.ts';
import { type ForwardFailure, forwardTo } from '../infra/http/http-forward.ts';
import { HTTP_LIMITS, serverOptions, watchClients } from '../infra/http/http-limits.ts';
import { BodyTooLarge, continueWithin, HttpError, readBodyBytes, send } from '../infra/http/http-server.ts';
import { openRedis } from '../infra/redis/open-redis.ts';
import { createChatInboxQueue } from '../jobs/chat-inbox-queue.ts';
import { createThrottledWarn } from '../jobs/throttled-log.ts';
import type { BotToIngress, IngressSettings, IngressToBot } from './slack-ingress.ts';

const tell = (message: IngressToBot) => parentPort?.postMessage(message);

// Entries are masked by the bot as it handles them; this thread only adds them.
const redactor = createLearningRedactor({});

/** Says in the log, at most once every 30 s for each kind, a request the bot's server did not take or answer. */
function sayFailed(log: pino.Logger, port: number, answerMs: number): (failure: ForwardFailure) => void {
  const warn = createThrottledWarn(log);
  return ({ status, code, ...request }) =>
    status === 503
      ? warn(
          `503 ${code}`,
          { ...request, code, port },
          `the Slack ingress thread could not reach Preflight's own server on 127.0.0.1:${port} (${code ?? 'connection failed'}) and answered 503: unless Preflight is stopping or restarting, look in this log for why that server stopped (said at most once every 30 s)`,
        )
      : warn(
          '504',
          { ...request, port, answerMs },
          `Preflight's own server did not answer within ${answerMs / 1000} s a request the Slack ingress thread passed on, answered 504: look in this log for what holds the bot (Redis, the job queue, a slow route) and restart it if it stays stuck (said at most once every 30 s)`,
        );
}

async function serve(settings: IngressSettings): Promise<void> {
  const limits = settings.limits ?? HTTP_LIMITS;
  // Each log line goes to the bot's log, through its redactor (slack-ingress.ts).
  const log = pino(
    { level: settings.logLevel },
    new Writable({
      write(line, _encoding, done) {
        tell({ type: 'log', line: String(line) });
        done();
      },
    }),
  );
  // The bot has said already what Redis's settings would lose: not again from here.
  const redis = await openRedis({ target: settings.target, env: {}, logger: log, warn: () => {} });
  const producer = redis.connect({ failFast: true });
  const inbox = createChatInboxQueue({
    connect: redis.connect,
    producer,
    prefix: settings.prefix,
    log,
    redactor,
  });
  const record = recordOrSay(inbox, log);
  // Every request is read whole before it goes on, so a connection to the bot's server is held only while the
  // bot answers, never while a client sends slowly. Slack's requests and the rest each have their own few (a
  // quarter of what the bot's server takes, together): one client pipelining thousands of requests does not
  // open thousands, and health checks do not wait behind Slack's nor Slack's behind them.
  const connections = {
    maxSockets: Math.max(1, Math.floor(limits.maxConnections / 8)),
    // The bot's server closes a connection idle for keepAliveMs: the thread lets go of it well before.
    idleMs: Math.max(1, Math.floor(limits.keepAliveMs / 2)),
    answerMs: limits.answerMs,
  };
  const failed = sayFailed(log, settings.internalPort, limits.answerMs);
  const bot = { port: settings.internalPort, key: settings.forwardKey };
  const forwardSlack = forwardTo(bot, connections, failed);
  const forward = forwardTo(bot, connections, failed);
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    answer(req, res, path).catch((error: unknown) => {
      if (res.headersSent || req.destroyed) return;
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) log.error({ err: error, path }, 'http handler failed');
      send(res, status, { error: status === 500 ? 'internal error' : (error as Error).message });
    });
  };
  const server = createServer(serverOptions(limits), handle);
  continueWithin(server, handle);
  /** Records and acknowledges a plain command; hands anything else on, its body read. */
  const answer = async (req: IncomingMessage, res: ServerResponse, path: string | undefined) => {
    const body = await readBodyBytes(req).catch((error: unknown) => {
      if (error instanceof BodyTooLarge) return error;
      throw error;
    });
    // A body over the limit stays here (refused before 100 Continue); the request goes on without it, saying so,
    // and the bot's route answers and counts it as its own 413 (the Alertmanager webhook's says to set max_alerts).
    if (body instanceof BodyTooLarge) return forward(req, res, Buffer.alloc(0), body.size);
    if (req.method !== 'POST' || path !== SLACK_EVENTS_PATH) return forward(req, res, body);
    const text = body.toString('utf8');
    const command = plainSlashCommand(req.headers, text, settings.signingSecret, Date.now());
    if (command !== undefined) {
      const problem = await record(commandEntry(command));
      // As Bolt acknowledges: an empty 200, or the text to show the person.
      res.writeHead(200);
      res.end(problem);
      return;
    }
    const reaction = plainReaction(req.headers, text, settings.signingSecret, Date.now(), settings.botUserId);
    if (reaction === undefined) return forwardSlack(req, res, body);
    const retry = req.headers['x-slack-retry-num'];
    if (retry !== undefined) log.debug({ eventId: reaction.id, retry }, 'Slack redelivered an event');
    // As Bolt answers an event: an empty 200 once recorded, a 500 (Slack sends it again) when it could not be.
    res.writeHead((await record(reaction)) === undefined ? 200 : 500);
    res.end();
  };
  watchClients(server, limits, log);
  server.once('error', (error: NodeJS.ErrnoException) =>
    tell({ type: 'failed', code: error.code, message: error.message }),
  );
  server.listen(settings.port, settings.host, () =>
    tell({ type: 'listening', port: (server.address() as AddressInfo).port }),
  );
  parentPort?.on('message', (message: BotToIngress) => {
    if (message.type !== 'close') return;
    server.closeAllConnections();
    server.close(() => {
      forward.close();
      forwardSlack.close();
      void Promise.all([inbox.close(), redis.close()]).finally(() => tell({ type: 'closed' }));
    });
  });
}

parentPort?.once('message', (message: BotToIngress) => {
  if (message.type !== 'listen') return;
  serve(message.settings).catch((error: unknown) =>
    tell({ type: 'failed', message: (error as Error).message }),
  );
});
