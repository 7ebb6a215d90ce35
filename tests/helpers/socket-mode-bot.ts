/** A test file's real bot (`preflight start`) in Slack Socket Mode on a copy of the sandbox, against a fake Slack. */
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type FakeSlackApi, startFakeSlackApi } from './fake-slack-api.ts';
import { attachFakeSocketMode, type FakeSocketMode } from './fake-slack-socket.ts';
import { startTestRedis, type TestRedis } from './redis-server.ts';
import { copySandbox, type SandboxCopy } from './sandbox-copy.ts';
import { type RunningBot, spawnStart } from './spawn-start.ts';

export interface SocketModeBot {
  readonly redis: TestRedis;
  readonly sandbox: SandboxCopy;
  readonly slack: FakeSlackApi;
  readonly socket: FakeSocketMode;
  readonly bot: RunningBot;
}

/** Registers beforeAll/afterAll that start and stop it all; `signingSecret` is SLACK_SIGNING_SECRET ('' is unset). */
export function useSocketModeBot(signingSecret: string): SocketModeBot {
  let world: SocketModeBot | undefined;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const redis = await startTestRedis();
    const sandbox = await copySandbox();
    const slack = await startFakeSlackApi();
    const socket = attachFakeSocketMode(slack);
    stop = async () => {
      await socket.close();
      await slack.close();
      await sandbox.remove();
      await redis.stop();
    };
    const bot = await spawnStart({
      REDIS_URL: redis.url,
      RUNBOOK: join(sandbox.dir, 'runbook.yaml'),
      LOG_LEVEL: 'warn',
      SLACK_BOT_TOKEN: 'xoxb-test-token-1234',
      SLACK_APP_TOKEN: 'xapp-1-test-app-token',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: slack.apiUrl,
    });
    world = { redis, sandbox, slack, socket, bot };
  }, 30_000);
  afterAll(async () => {
    await world?.bot.stop();
    await stop?.();
  });
  const started = (): SocketModeBot => {
    if (!world) throw new Error('the Socket Mode bot is read before beforeAll started it');
    return world;
  };
  return {
    get redis() {
      return started().redis;
    },
    get sandbox() {
      return started().sandbox;
    },
    get slack() {
      return started().slack;
    },
    get socket() {
      return started().socket;
    },
    get bot() {
      return started().bot;
    },
  };
}
