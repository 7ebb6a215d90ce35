/**
 * The ingress thread in front of the bot (`preflight start` in Slack's HTTP mode): it owns the port, records and
 * acknowledges plain slash commands itself, and hands every other request to the bot's server unchanged. What a
 * caller sees must be what the bot's own server says, and what the thread has to say reaches the bot's log.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlackApi } from '../helpers/fake-slack-api.ts';
import { repoRoot } from '../helpers/load-runbook.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { startTestRedis } from '../helpers/redis-server.ts';
import { copySandbox } from '../helpers/sandbox-copy.ts';
import { FORM, postToSlackEndpoint, slashCommand, typedCommand } from '../helpers/signed-slack.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { slackBotEnv } from '../helpers/spawn-start.ts';

const suite = useSlackSuite(oneGateRunbook('front'), { ingress: true });
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

const events = () => `${h.base}/slack/events`;

describe('the ingress thread', () => {
  it('hands every other route to the bot: its 404, 405, HEAD and 413 answers are the bot’s own', async () => {
    const missing = await fetch(`${h.base}/nowhere?x=1`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toMatch(
      /^no route for \/nowhere; this server answers .*POST \/slack\/events/,
    );
    const wrong = await fetch(`${h.base}/healthz`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${h.base}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    // A body over the limit, read by the thread itself.
    const large = await fetch(events(), {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: `command=%2Fdeploy&text=${'x'.repeat(1_100_000)}`,
    });
    expect(large.status).toBe(413);
    expect(((await large.json()) as { error: string }).error).toMatch(
      /^the body is 1100023 bytes; at most 1\.0 MB \(1048576 bytes\) is accepted$/,
    );
  });

  it('acknowledges a command Slack sends again (X-Slack-Retry-Num) and answers it once', async () => {
    const tag = 'sent-thrice';
    const command = typedCommand({
      user: ANN,
      line: '/deploy help',
      channel: 'C0DEPLOY1',
      responseUrl: h.fake.responseUrl(tag),
      tag,
    });
    const answers = [
      await postToSlackEndpoint(events(), command),
      await postToSlackEndpoint(events(), command, { retryNum: 1 }),
      await postToSlackEndpoint(events(), command, { retryNum: 2 }),
    ];
    expect(answers.map((a) => [a.status, a.body])).toEqual([
      [200, ''],
      [200, ''],
      [200, ''],
    ]);
    await h.waitFor('the answer', () => h.fake.responses.find((r) => r.tag === tag));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(h.fake.responses.filter((r) => r.tag === tag)).toHaveLength(1);
  });

  it('takes a command whose body is exactly at the limit; one byte more is refused, saying by how much', async () => {
    const command = (tag: string, size: number) => {
      const request = typedCommand({
        user: ANN,
        line: '/deploy help',
        channel: 'C0DEPLOY1',
        responseUrl: h.fake.responseUrl(tag),
        tag,
      });
      return { ...request, body: `${request.body}&pad=${'x'.repeat(size - request.body.length - 5)}` };
    };
    const at = await postToSlackEndpoint(events(), command('at-limit', 1024 * 1024));
    expect(at.status).toBe(200);
    await h.waitFor('the answer to the command at the limit', () =>
      h.fake.responses.find((r) => r.tag === 'at-limit'),
    );
    const over = await postToSlackEndpoint(events(), command('over-limit', 1024 * 1024 + 1));
    expect(over.status).toBe(413);
    expect(JSON.parse(over.body)).toEqual({
      error: 'the body is 1048577 bytes; at most 1.0 MB (1048576 bytes) is accepted',
    });
  });

  it('leaves a command it cannot vouch for to Bolt: forged, stale, or with a field sent twice', async () => {
    const command = (tag: string) =>
      slashCommand({
        user: ANN,
        command: '/deploy',
        text: 'status',
        channel: 'C0DEPLOY1',
        responseUrl: h.fake.responseUrl(tag),
        triggerId: `trigger-${tag}`,
      });
    const forged = await postToSlackEndpoint(events(), command('forged'), { secret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    const stale = await postToSlackEndpoint(events(), command('stale'), {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(stale.status).toBe(401);
    const twice = command('twice');
    const doubled = await postToSlackEndpoint(events(), {
      ...twice,
      body: `${twice.body}&command=%2Fdeploy`,
    });
    expect(doubled.status).toBe(400);
    expect(doubled.body).toContain(
      'not a Slack request Preflight can read: a form body needs a command, a payload or ssl_check',
    );
    // None of them was taken: an answer would have come to its response_url.
    const plain = await h.command(ANN, '/deploy help');
    await h.waitFor('the answer to a plain command', () => h.fake.responses.find((r) => r.tag === plain.tag));
    expect(h.fake.responses.filter((r) => ['forged', 'stale', 'twice'].includes(r.tag))).toEqual([]);
  });

  it('says in the bot’s log what it could not record, and tells the person what to do', async () => {
    await suite.redis.kill();
    try {
      const tag = 'redis-away';
      const answer = await postToSlackEndpoint(
        events(),
        typedCommand({
          user: ANN,
          line: '/deploy status',
          channel: 'C0DEPLOY1',
          responseUrl: h.fake.responseUrl(tag),
          tag,
        }),
      );
      expect(answer.status).toBe(200);
      // Refused at once, or sent and never confirmed: either way the person is told, and what to do.
      expect(answer.body).toMatch(
        /could not record that just now \(its Redis did not answer\); nothing was done|could not confirm it recorded that .* Look at the thread or \/deploy status before you try again/,
      );
      const line = await h.waitFor('the log line', () =>
        h.logs.find((l) => l.includes('could not record a Slack request')),
      );
      expect(JSON.parse(line)).toMatchObject({
        level: 50,
        thread: 'slack-ingress',
        entry: `command:trigger-${tag}`,
      });
    } finally {
      await suite.redis.restart();
    }
  });
});

describe('preflight start in Slack’s HTTP mode', () => {
  it('stops in one line naming PORT when its port is taken', async () => {
    const redis = await startTestRedis();
    const sandbox = await copySandbox();
    const slack = await startFakeSlackApi();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const env = slackBotEnv(redis.url, join(sandbox.dir, 'runbook.yaml'), slack.apiUrl);
      // Not spawnSync: the fake Slack API it calls at start runs in this process.
      const run = await execa(`${repoRoot}node_modules/.bin/node`, [`${repoRoot}bin/preflight.js`, 'start'], {
        env: { ...env, PORT: String(port) },
        reject: false,
        timeout: 60_000,
      });
      expect(run.stderr).toBe(`preflight: PORT ${port} is already in use; set PORT to a free port`);
      expect(run.exitCode).toBe(2);
    } finally {
      taken.close();
      await slack.close();
      await sandbox.remove();
      await redis.stop();
    }
  });
});
