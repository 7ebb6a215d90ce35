/** `preflight start`: the bot. Chat adapters by configuration (chat-adapters.ts), workers, and the HTTP server. */
import { createMetrics } from '../infra/metrics.ts';
import { createPreflight } from '../main.ts';
import { readBackPlatforms, startChatAdapters, usesTerminalChat } from './chat-adapters.ts';
import { openConsoleLog } from './console-log.ts';
import { pickConsoleUser } from './console-session.ts';
import { collectMetrics, primeMetrics, routeAlertmanager } from './http-routes.ts';
import { loadRunbooksOrExit } from './load-runbooks-or-exit.ts';
import { collectRedisUp, createPreflightHttp, type Listening, listenPublicly } from './serve-http.ts';
import { logUnhandledRejections, stopGracefully, waitForShutdown } from './shutdown.ts';
import { prepareSlackIngress } from './slack-ingress.ts';
import { noChatLine, terminalBanner, unsetRequiredEnv } from './start-banner.ts';
import { explainSlackEvents } from './start-slack.ts';
import { readConfigOrExit } from './worker-command.ts';

/** How long a process whose chat could not start still works the timers already due (pages) before it ends. */
const DUE_TIMERS_MS = 15_000;

/** Runs until SIGTERM or SIGINT (or Ctrl-D in the terminal chat); resolves with the exit code. */
export async function runStart(env: Record<string, string | undefined>, as?: string): Promise<number> {
  const config = readConfigOrExit(env);
  // Over Slack's HTTP the ingress thread takes the port: its modules load while the bot starts.
  const ingress = config.slack?.mode === 'http' ? prepareSlackIngress() : undefined;
  const runbooks = await loadRunbooksOrExit(config.runbookPath);
  const chatless = usesTerminalChat(config);
  const terminal = chatless && process.stdin.isTTY === true;
  // A wrong --as is refused, terminal or not: it names someone the runbooks do not have, wherever it would be used.
  const consoleUser = terminal || as !== undefined ? pickConsoleUser(runbooks, as, env.USER) : '';
  // The terminal chat owns stdout, so its logs go to a file; with Slack or Discord they go to stdout as JSON.
  const log = terminal ? openConsoleLog(config.logLevel) : undefined;
  const metrics = createMetrics();
  const preflight = await createPreflight({
    telemetry: metrics.telemetry,
    config,
    env,
    work: true,
    logLibraryWarnings: true,
    refusals: metrics.refusals,
    readBackPlatforms: readBackPlatforms(config),
    ...(log && { logDestination: log.destination }),
  });
  logUnhandledRejections(preflight.logger);
  let stopping = false;
  const http = createPreflightHttp(preflight, metrics, () => stopping);
  routeAlertmanager(http, preflight, config.alertmanagerWebhookToken, metrics.webhookHandled);
  explainSlackEvents(http, config);
  collectMetrics(metrics, preflight);
  collectRedisUp(metrics, preflight);
  let adapters: Awaited<ReturnType<typeof startChatAdapters>> | undefined;
  let listening: Listening | undefined;
  let portLost: (code: number) => void = () => {};
  const lost = new Promise<number>((resolve) => {
    portLost = resolve;
  });
  try {
    adapters = await startChatAdapters(preflight, config, http, {
      consoleUser,
      input: process.stdin,
      output: process.stdout,
    }).catch(async (error: unknown) => {
      // The process ends (a platform refused the bot): the pages due meanwhile go out first, PagerDuty needs no chat.
      await preflight.workDueTimers(DUE_TIMERS_MS);
      throw error;
    });
    preflight.chat.queue.start();
    primeMetrics(metrics, preflight);
    listening = await listenPublicly(http, preflight, config, () => portLost(1), {
      ...(ingress && { prepared: ingress }),
      slackBotUserId: adapters.slackBotUserId,
    });
    const { port } = listening;
    preflight.logger.info({ port, chat: adapters.names }, 'preflight started');
    const unset = unsetRequiredEnv(runbooks, env);
    if (terminal) adapters.greet?.(terminalBanner(consoleUser, port, unset));
    else if (chatless) process.stderr.write(`preflight: ${noChatLine(port, unset)}\n`);
    return await Promise.race([adapters.done, lost, waitForShutdown(preflight.logger).then(() => 0)]);
  } finally {
    if (listening === undefined) ingress?.discard();
    stopping = true;
    await stopGracefully(
      async () => {
        // Sends stop before the chats they go to: a send that found its chat gone would be given up.
        await preflight.chat.queue.stop();
        await adapters?.stop();
        // HTTP stays up while running jobs finish: Slack's requests are still recorded (the next process answers
        // them), and /readyz says the process is stopping.
        await preflight.stop({ beforeClose: () => (listening ?? http).close() });
      },
      preflight.redis,
      preflight.logger,
    );
  }
}
