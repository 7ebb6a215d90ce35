/** Runs the real `preflight start` on a free port and waits until /readyz says it is ready. */
import { type ChildProcess, spawn } from 'node:child_process';
import { findFreePort } from '../../src/infra/embedded-redis.ts';
import { APPLICATION_ID, type FakeDiscord, GUILD_ID } from './fake-discord.ts';
import { repoRoot } from './load-runbook.ts';
import { SIGNING_SECRET } from './signed-slack.ts';

export interface RunningBot {
  readonly base: string;
  readonly child: ChildProcess;
  /** What it printed so far: stdout (JSON log lines without a terminal) and stderr. */
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would end it, then waits for the process to exit. */
  kill(): Promise<void>;
}

/**
 * Starts the bot with `env` added to the test's environment; fails after 20 s without readiness. With
 * `detached`, it leads its own process group, as a command started from a terminal does.
 */
export async function spawnStart(
  env: Record<string, string>,
  options: {
    cwd?: string;
    detached?: boolean;
    readyTimeoutMs?: number;
    /** Told the child as soon as it is spawned (before it is ready). */
    onSpawn?: (child: ChildProcess) => void;
  } = {},
): Promise<RunningBot> {
  const port = await findFreePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(`${repoRoot}node_modules/.bin/node`, [`${repoRoot}bin/preflight.js`, 'start'], {
    cwd: options.cwd ?? repoRoot,
    detached: options.detached ?? false,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port), ...env },
  });
  options.onSpawn?.(child);
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  child.stdout?.on('data', (chunk) => {
    stdout += String(chunk);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  while (
    !(await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`preflight start did not become ready: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The environment of the real bot in Slack HTTP mode against a fake Slack Web API, quiet unless `logLevel`. */
export function slackBotEnv(
  redisUrl: string,
  runbook: string,
  slackApiUrl: string,
  logLevel = 'warn',
): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    RUNBOOK: runbook,
    LOG_LEVEL: logLevel,
    SLACK_BOT_TOKEN: 'xoxb-test-token-1234',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slackApiUrl,
  };
}

/** The environment of the real bot on Discord against a fake Discord (REST and gateway), no Slack, quiet unless `logLevel`. */
export function discordBotEnv(
  redisUrl: string,
  fake: Pick<FakeDiscord, 'token' | 'apiUrl'>,
  logLevel = 'warn',
): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    RUNBOOK: 'runbook.yaml',
    LOG_LEVEL: logLevel,
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: APPLICATION_ID,
    DISCORD_GUILD_ID: GUILD_ID,
    DISCORD_API_URL: fake.apiUrl,
    SLACK_BOT_TOKEN: '',
    SLACK_SIGNING_SECRET: '',
  };
}
