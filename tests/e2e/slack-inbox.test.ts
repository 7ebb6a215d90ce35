/**
 * Nothing acknowledged is lost: Slack gets its 200 only once the request is recorded in Redis. With Redis down,
 * an approval is answered 500 (Slack delivers it again) and a command says it was not recorded; once Redis is
 * back, the redelivered approval counts once. And nothing is done twice: a request the inbox hands out again
 * (its bot died after acting, before the inbox heard it was done) takes effect once, even much later.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKeySpace } from '../../src/core/index.ts';
import { inboxQueueName } from '../../src/jobs/chat-inbox-queue.ts';
import { jobId } from '../../src/jobs/job-types.ts';
import type { FakeMessage } from '../helpers/fake-slack-api.ts';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const RUNBOOK = oneGateRunbook('inbox');

// As `preflight start` listens over HTTP: commands are recorded and acknowledged by the ingress thread.
const suite = useSlackSuite(RUNBOOK, { ingress: true });
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

describe('the inbox', () => {
  it('answers 500 to an approval it could not record, and counts the redelivery once', async () => {
    const started = await h.command(ANN, '/deploy start inbox v1.0.0');
    expect(started.status).toBe(200);
    const gate: FakeMessage = await h.waitFor('the gate message', () =>
      h.fake.messages.find((m) => m.text.includes('*Go* gate')),
    );
    await suite.redis.kill();
    const refused = await h.react(BEN, gate, 'white_check_mark', { eventId: 'Ev0INBOX0001' });
    expect(refused.status).toBe(500);
    const command = await h.command(ANN, '/deploy status inbox-1');
    expect(command.status).toBe(200);
    expect(command.body).toContain('could not record that just now');
    // Slack never sends a click again: it is acknowledged, and the person told privately to try again.
    const click = await h.click(BEN, gate, 'gate.approve');
    expect(click.status).toBe(200);
    const told = await h.waitFor('the answer to the click', () =>
      h.fake.responses.find((r) => r.tag === click.tag),
    );
    expect(told.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(told.body.text)).toContain(
      'could not record that just now (its Redis did not answer); nothing was done',
    );
    await suite.redis.restart();
    const again = await h.waitFor('a 200 for the redelivery', async () => {
      const answer = await h.react(BEN, gate, 'white_check_mark', { eventId: 'Ev0INBOX0001', retryNum: 1 });
      return answer.status === 200 ? answer : undefined;
    });
    expect(again.status).toBe(200);
    await h.react(BEN, gate, 'white_check_mark', { eventId: 'Ev0INBOX0001', retryNum: 2 });
    const d = await h.waitForState('inbox-1', ['succeeded']);
    expect(d.gates[0]?.approvals.map((a) => a.by)).toEqual(['ben']);
    const approvals = (await h.preflight.engine.store.audit('inbox-1')).filter(
      (r) => r.type === 'gate.approval' || r.type === 'gate.approved',
    );
    expect(approvals).toHaveLength(1);
  });

  it('records an approval that arrives during a Redis blip shorter than Slack’s wait, and answers 200', async () => {
    const gates = () => h.fake.messages.filter((m) => m.text.includes('*Go* gate'));
    const before = gates().length;
    const started = await h.command(ANN, '/deploy start inbox v1.0.1');
    expect(started.status).toBe(200);
    const gate: FakeMessage = await h.waitFor('the second gate message', () => gates()[before]);
    await suite.redis.kill();
    const reaction = h.react(BEN, gate, 'white_check_mark', { eventId: 'Ev0INBOX0BLIP' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await suite.redis.restart();
    expect((await reaction).status).toBe(200);
    const d = await h.waitForState('inbox-2', ['succeeded']);
    expect(d.gates[0]?.approvals.map((a) => a.by)).toEqual(['ben']);
  });

  it('says a command may still take effect when Redis took it but did not confirm in time, and then it does', async () => {
    const admin = new Redis(suite.redis.url);
    try {
      // Writes wait (as during a failover) for longer than the 2 s the inbox may take: the record lands late.
      await admin.call('CLIENT', 'PAUSE', '3000', 'WRITE');
      const command = await h.command(ANN, '/deploy status inbox-1');
      expect(command.status).toBe(200);
      expect(command.body).toContain('could not confirm it recorded that');
      expect(command.body).not.toContain('nothing was done');
      const late = await h.waitFor('the late answer', () =>
        h.fake.responses.find((r) => r.tag === command.tag),
      );
      expect(String(late.body.text)).toContain('inbox-1');
    } finally {
      admin.disconnect();
    }
  });

  /** Hands a handled command to the inbox again, as BullMQ does with an entry whose bot died holding it. */
  const handleAgain = async (tag: string) => {
    const queue = new Queue(inboxQueueName('slack'), {
      connection: h.preflight.connect(),
      prefix: createKeySpace(h.preflight.prefix).queuePrefix,
    });
    try {
      const job = await queue.getJob(jobId('slack', `command:trigger-${tag}`));
      if (!job) throw new Error(`no inbox entry for the command ${tag}`);
      await h.waitFor('the first handling to finish', async () => (await job.isCompleted()) || undefined);
      await job.retry('completed');
      await h.waitFor('the second handling', async () => (await job.isCompleted()) || undefined);
    } finally {
      await queue.close();
    }
  };
  const answersTo = (tag: string) =>
    h.fake.responses.filter((r) => r.tag === tag).map((r) => String(r.body.text));

  it('starts one deployment when a start is handled again after the first one finished', async () => {
    const started = await h.command(ANN, '/deploy start inbox v2.0.0');
    const first = await h.waitFor('the deployment', async () =>
      (await h.preflight.engine.store.list({ service: 'inbox' })).find((d) => d.version === 'v2.0.0'),
    );
    const gate = await h.waitFor('its gate message', () =>
      h.fake.messages.find(
        (m) =>
          (m.metadata?.event_payload as { delivery?: string } | undefined)?.delivery ===
          `${first.id}:gate:go`,
      ),
    );
    await h.react(BEN, gate, 'white_check_mark');
    await h.waitForState(first.id, ['succeeded']);
    // The lock is free again: a start that ran again would begin a second deployment of v2.0.0.
    await handleAgain(started.tag);
    const all = await h.preflight.engine.store.list({ service: 'inbox' });
    expect(all.filter((d) => d.version === 'v2.0.0').map((d) => d.id)).toEqual([first.id]);
    // …and the person who asked is answered once, not once per handling.
    const answers = answersTo(started.tag);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toContain(`Starting ${first.id}`);
  });

  it('pauses once when a pause is handled again after the resume', async () => {
    await h.command(ANN, '/deploy start inbox v2.1.0');
    const d = await h.waitFor('the deployment', async () =>
      (await h.preflight.engine.store.list({ service: 'inbox' })).find((x) => x.version === 'v2.1.0'),
    );
    const pause = await h.command(ANN, `/deploy pause ${d.id}`);
    await h.waitFor('paused', async () => (await h.preflight.engine.store.get(d.id))?.paused || undefined);
    await h.command(ANN, `/deploy resume ${d.id}`);
    await h.waitFor(
      'resumed',
      async () => (await h.preflight.engine.store.get(d.id))?.paused === false || undefined,
    );
    await handleAgain(pause.tag);
    expect((await h.preflight.engine.store.get(d.id))?.paused).toBe(false);
    const pauses = (await h.preflight.engine.store.audit(d.id)).filter((r) => r.type === 'deployment.paused');
    expect(pauses).toHaveLength(1);
    expect(answersTo(pause.tag)).toEqual([expect.stringMatching(new RegExp(`^${d.id}: pause`))]);
    await h.command(ANN, `/deploy abort ${d.id}`);
    await h.waitForState(d.id, ['aborted']);
  });

  it('keeps the lock someone took after an unlock that is handled again', async () => {
    await h.command(ANN, '/deploy lock inbox production database upgrade');
    const store = h.preflight.engine.store;
    await h.waitFor(
      'the lock',
      async () => (await store.lockHolder('inbox', 'production'))?.kind === 'manual',
    );
    const unlock = await h.command(ANN, '/deploy unlock inbox production');
    await h.waitFor('the unlock', async () => (await store.lockHolder('inbox', 'production')) === undefined);
    await h.command(BEN, '/deploy lock inbox production incident in progress');
    await h.waitFor(
      'the second lock',
      async () => (await store.lockHolder('inbox', 'production')) ?? undefined,
    );
    await handleAgain(unlock.tag);
    expect(await store.lockHolder('inbox', 'production')).toMatchObject({
      kind: 'manual',
      owner: 'ben',
      reason: 'incident in progress',
    });
    expect(answersTo(unlock.tag)).toEqual([expect.stringContaining('unlocked')]);
  });
});
