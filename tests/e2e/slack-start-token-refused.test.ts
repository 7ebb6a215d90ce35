/**
 * `preflight start` against a Slack that refuses the bot token: the one line on stderr keeps Slack's reason
 * (invalid_auth), which the secret redactor must not take for a credential.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack-api.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { copySandbox, type SandboxCopy } from '../helpers/sandbox-copy.ts';
import { slackBotEnv, spawnStart } from '../helpers/spawn-start.ts';

let redis: TestRedis;
let sandbox: SandboxCopy;
let slack: FakeSlackApi;
beforeAll(async () => {
  redis = await startTestRedis();
  sandbox = await copySandbox();
  slack = await startFakeSlackApi();
});
afterAll(async () => {
  await slack?.close();
  await sandbox?.remove();
  await redis?.stop();
});

describe('preflight start when Slack refuses the bot token', () => {
  it("stops with one line that names SLACK_BOT_TOKEN and keeps Slack's reason", async () => {
    slack.fail('auth.test', { error: 'invalid_auth' }, 10);
    let child: ChildProcess | undefined;
    let stderr = '';
    await spawnStart(slackBotEnv(redis.url, join(sandbox.dir, 'runbook.yaml'), slack.apiUrl, 'silent'), {
      onSpawn: (c) => {
        child = c;
        c.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
      },
    }).catch(() => undefined);
    if (child?.exitCode === null) await new Promise((r) => child?.once('exit', r));
    expect(stderr).toBe(
      'preflight: Slack refused the bot token (auth.test answered invalid_auth); check SLACK_BOT_TOKEN\n',
    );
    expect(child?.exitCode).toBe(1);
  }, 30_000);

  it('says SLACK_API_URL answered as something other than Slack, not that the token was refused', async () => {
    // A web server (or a proxy's page) where the Slack Web API should be: 200 with HTML.
    const other = createServer((_req, res) => res.end('<html><body>It works!</body></html>'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const apiUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
    let child: ChildProcess | undefined;
    let stderr = '';
    try {
      await spawnStart(slackBotEnv(redis.url, join(sandbox.dir, 'runbook.yaml'), apiUrl, 'silent'), {
        onSpawn: (c) => {
          child = c;
          c.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
        },
      }).catch(() => undefined);
      if (child?.exitCode === null) await new Promise((r) => child?.once('exit', r));
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
    expect(stderr).toBe(
      `preflight: the Slack Web API at ${apiUrl} (SLACK_API_URL) did not answer as Slack does (auth.test answered "<html><body>It works!</body></html>"): check that SLACK_API_URL is right (or unset it to use Slack's own)\n`,
    );
    expect(child?.exitCode).toBe(1);
  }, 30_000);
});
