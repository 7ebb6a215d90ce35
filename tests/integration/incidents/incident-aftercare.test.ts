/**
 * After the deploy: the lock after a rollback, monitoring tasks and their reminder, one health message per period
 * edited in place, success criteria in the audit log and the report, emergency output in the incident thread
 * after the deployment finished, and monitoring handed over only when a new deployment goes live.
 */
import { describe, expect, it } from 'vitest';
import { renderIncidentTopic } from '../../../src/bot/render/render-incident.ts';
import { renderTopic } from '../../../src/bot/render/render-topic.ts';
import { openIncidentFor, plainLiterals, tellIncidentOfRollback } from '../../../src/core/index.ts';
import type { Harness } from '../../helpers/engine-harness.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import type { FakeMonitoring } from '../../helpers/fake-monitoring.ts';
import { useFakeMonitoring } from '../../helpers/fake-monitoring-suite.ts';
import {
  deployLive,
  deploymentNotes,
  eventually,
  incidentNotes,
  incidentRunbook,
} from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const monitoring = useFakeMonitoring();
let fake: FakeMonitoring | undefined;

async function start(extra: Parameters<typeof incidentRunbook>[1] = {}): Promise<Harness> {
  fake = await monitoring.start({ up: '1', errors: '0.01' });
  return suite.start({
    runbook: incidentRunbook(fake.url, extra),
    config: { PROMETHEUS_URL: fake.url, ALERTMANAGER_URL: fake.url },
  });
}

/** A command's answer, as the terminal shows it (outside text as written). */
const say = async (h: Harness, userId: string, text: string) => {
  const reply = await h.preflight.chat.dispatcher.command({
    platform: 'console',
    userId,
    channel: '#deploy',
    text,
  });
  return reply && { ...reply, text: plainLiterals(reply.text) };
};

describe('the lock after a rollback', () => {
  it('holds until someone unlocks it with a reason; /deploy status and /deploy start say so', async () => {
    const h = await start();
    const d = await deployLive(h, 'v1.0.0');
    const asked = await h.apply(d.id, {
      type: 'rollback.request',
      by: 'ann',
      reason: 'errors after the deploy',
    });
    expect(asked.ok).toBe(true);
    await h.waitFor(d.id, (x) => x.state === 'rolled_back', 20_000);

    const refused = await h.start('v1.0.1', 'ann');
    expect(refused.ok).toBe(false);
    if (!refused.ok)
      expect(plainLiterals(refused.error.message)).toBe(
        `svc production is locked since deployment ${d.id} was rolled back: rolled back. Once it is safe to deploy again: /deploy unlock svc production <reason>`,
      );
    expect((await say(h, 'ann', '/deploy status'))?.text).toContain(
      `🔒 svc production is locked since deployment ${d.id} was rolled back`,
    );
    expect((await say(h, 'ann', '/deploy unlock svc production'))?.text).toBe(
      `⚠️ svc production is locked after the rollback of ${d.id}; say why it is safe to deploy again: /deploy unlock svc production <reason>`,
    );
    expect((await say(h, 'cat', '/deploy unlock svc production the bad config is reverted'))?.text).toBe(
      `🔓 svc production unlocked by Cat after the rollback of ${d.id}: the bad config is reverted. Deployments may start again.`,
    );
    const audit = await h.preflight.engine.store.audit(d.id);
    expect(audit.at(-1)).toMatchObject({
      type: 'lock.released_after_rollback',
      actor: 'cat',
      detail: { reason: 'the bad config is reverted' },
    });
    expect((await h.start('v1.0.1', 'ann')).ok).toBe(true);
  });
});

describe('the incident of a rolled-back deployment', () => {
  it('says in its thread how the rollback ended and that the service stays locked, once', async () => {
    const h = await start();
    const d = await deployLive(h, 'v1.0.0');
    const opened = await openIncidentFor(h.preflight.engine, {
      deploymentId: d.id,
      title: 'errors after the deploy',
      trigger: 'manual',
      openedBy: 'ann',
    });
    if (!opened.ok) throw opened.error;
    const id = opened.incident.id;
    const asked = await h.apply(d.id, { type: 'rollback.request', by: 'ann', reason: 'errors' });
    expect(asked.ok).toBe(true);
    await h.waitFor(d.id, (x) => x.state === 'rolled_back', 20_000);

    const said = await eventually(
      async () => incidentNotes(h, id).filter((n) => n.startsWith('↩️')),
      (n) => n.length > 0,
      10_000,
      'the rollback note in the incident thread',
    );
    expect(said).toEqual([
      `↩️ ${d.id} rolled back. svc production stays locked until someone runs \`/deploy unlock svc production <reason>\`; resolve ${id} once the service is well (\`/incident resolve ${id}\`).`,
    ]);
    // Its message is drawn again, with the deployment as it is now.
    const incident = await h.preflight.engine.incidents.get(id);
    if (!incident) throw new Error('the incident is gone');
    const deployment = await h.preflight.engine.store.get(d.id);
    const main = renderIncidentTopic(
      {
        incident,
        runbook: await h.preflight.engine.runbooks.pinned(incident.runbookDigest),
        ...(deployment && { deployment }),
        now: Date.now(),
      },
      { kind: 'incident' },
    );
    expect(main.text).toContain(`Deployment: ${d.id} (v1.0.0, rolled back)`);

    // Delivered again (the outbox is at least once): said once.
    await tellIncidentOfRollback(h.preflight.engine, d.id, { state: 'rolled_back', outcome: 'rolled back' });
    const audit = await h.preflight.engine.incidents.audit(id);
    expect(audit.filter((r) => r.type === 'incident.rollback_ended')).toHaveLength(1);
    expect(incidentNotes(h, id).filter((n) => n.startsWith('↩️'))).toHaveLength(1);
  });
});

describe('monitoring a live deployment', () => {
  it('posts tasks to their owners, reminds of the open ones, edits one health message, audits success', async () => {
    const h = await start({ monitoringTo: '6s', successAt: '2s' });
    const d = await deployLive(h, 'v1.0.0');
    if (!fake) return;
    fake.health = 'flap';
    const tasks = await eventually(
      async () => h.deliveries.filter((x) => x.deploymentId === d.id && x.effect.topic.kind === 'task'),
      (t) => t.length >= 2,
      10_000,
      'the task posts',
    );
    expect(tasks.map((t) => t.effect.type)).toEqual(['post', 'post']);
    const now = await h.get(d.id);
    const runbook = await h.preflight.engine.runbooks.pinned(now.runbookDigest);
    const render = (topic: (typeof tasks)[number]['effect']['topic']) =>
      renderTopic({ deployment: now, runbook, now: Date.now() }, topic).text;
    expect(render({ kind: 'task', window: 0, index: 1 })).toBe(
      '📋 First seconds task: Check the dashboards — @{ben}, react ✅ here when it is done.',
    );
    const wrong = await h.apply(d.id, { type: 'task.tick', window: 0, index: 0, by: 'ben' });
    expect(!wrong.ok && wrong.error.message).toBe(
      'only Ann can tick "Read the logs"; your ✅ was not counted',
    );
    expect((await h.apply(d.id, { type: 'task.tick', window: 0, index: 0, by: 'ann' })).ok).toBe(true);

    const reminder = await eventually(
      async () => deploymentNotes(h, d.id, 'tasks-open:0'),
      (n) => n.length > 0,
      20_000,
      'the reminder',
    );
    const text = (reminder[0]?.effect.topic as { text: string } | undefined)?.text;
    expect(text).toContain('First seconds has ended with 1 task open:\n  - Check the dashboards (@{ben})');
    expect(text).not.toContain('Read the logs');

    const health = deploymentNotes(h, d.id, 'health:0');
    expect(health.filter((x) => x.effect.type === 'post')).toHaveLength(1);
    expect(health.filter((x) => x.effect.type === 'refresh').length).toBeGreaterThanOrEqual(2);
    const done = await h.waitFor(d.id, (x) => x.state === 'succeeded', 20_000);
    const audit = await h.preflight.engine.store.audit(d.id);
    expect(audit.filter((r) => r.type === 'health.changed').length).toBeGreaterThanOrEqual(2);
    expect(audit.find((r) => r.type === 'success.evaluated')?.detail).toMatchObject({ criterion: 'early' });
    const report = renderTopic(
      { deployment: done, runbook, now: Date.now() },
      { kind: 'report', state: 'succeeded' },
    );
    expect(report.text).toMatch(/Success criteria:\n {2}(✅|❌) Healthy early on: (met|NOT met)\./);
  });
});

describe('emergency from the incident', () => {
  it('runs after the deployment finished, for people allowed to abort, and answers in the incident thread', async () => {
    const h = await start();
    const d = await deployLive(h, 'v1.0.0');
    const opened = await say(h, 'ben', `/incident open ${d.id} checkout answers 500`);
    expect(opened?.text).toMatch(/^🚨 INC-\d+ opened in #incident/);
    expect((await h.apply(d.id, { type: 'monitoring.complete' })).ok).toBe(true);
    const [incident] = await h.preflight.engine.incidents.list({ limit: 1 });
    if (!incident) throw new Error('no incident');

    expect((await say(h, 'cat', `/incident emergency logs ${incident.id}`))?.text).toBe(
      '⚠️ only people allowed to abort (Ann, Ben) can run the emergency logs',
    );
    const asked = await say(h, 'ann', `/incident emergency logs ${incident.id}`);
    expect(asked?.visibility).toBe('ephemeral');
    expect(asked?.text).toBe(`🛑 emergency logs started; its output goes to the ${incident.id} thread.`);
    const notes = await eventually(
      async () => incidentNotes(h, incident.id),
      (n) => n.some((t) => t.startsWith('🛑 Emergency logs finished')),
      20_000,
      'the emergency output',
    );
    expect(notes).toContain('🛑 Emergency logs finished (asked by @{ann}):\nlast log line of v1.0.0');
    const audit = await h.preflight.engine.incidents.audit(incident.id);
    expect(audit.find((r) => r.type === 'incident.emergency')?.detail).toMatchObject({
      which: 'logs',
      outcome: 'finished',
      output: 'last log line of v1.0.0',
    });
    const acked = await say(h, 'ann', `/ack ${incident.id}`);
    expect(acked?.visibility).toBe('ephemeral');
    await eventually(
      async () => incidentNotes(h, incident.id),
      (n) => n.includes(`👀 @{ann} acknowledged ${incident.id}; paging stops.`),
      10_000,
      'the ack in the incident thread',
    );
  });
});

describe('handing monitoring over', () => {
  it('a new deployment stopped before it goes live leaves the live one watched; one that goes live takes over', async () => {
    const h = await start();
    const live = await deployLive(h, 'v1.0.0');
    const next = await h.start('v1.1.0', 'ann');
    if (!next.ok) throw next.error;
    await h.waitFor(next.deployment.id, (x) => x.state === 'awaiting_gates');
    expect((await h.apply(next.deployment.id, { type: 'abort', by: 'ann', emergency: false })).ok).toBe(true);
    expect((await h.get(live.id)).state).toBe('monitoring');
    const third = await deployLive(h, 'v1.2.0');
    const old = await h.waitFor(live.id, (x) => x.state === 'succeeded', 10_000);
    expect(old.outcome).toBe(
      `svc v1.0.0 went live in production; monitoring ended: superseded by ${third.id}`,
    );

    // Rolling back the superseded one would put v1.0.0's predecessor back under v1.2.0: refused, on every path.
    expect((await say(h, 'ann', `/rollback ${live.id}`))?.text).toContain(
      `${live.id} (v1.0.0) is no longer what runs in production: ${third.id} (v1.2.0) went live after it. To go back, roll back ${third.id}: /rollback ${third.id}`,
    );
    expect((await h.get(live.id)).rollback).toBeUndefined();
    expect((await h.get(third.id)).state).toBe('monitoring');
    await say(h, 'ann', `/rollback ${third.id}`);
    expect((await h.get(third.id)).rollback).toBeDefined();
  });
});

describe('a rollback asked for by someone paged', () => {
  it('answers the incident: it is acknowledged by them and paging stops', async () => {
    const h = await start();
    const d = await deployLive(h, 'v1.0.0');
    expect((await say(h, 'ben', `/incident open ${d.id} checkout answers 500`))?.text).toMatch(
      /^🚨 INC-\d+ opened/,
    );
    const [incident] = await h.preflight.engine.incidents.list({ limit: 1 });
    if (!incident) throw new Error('no incident');
    // Ann is on L1, paged at once; she rolls back instead of typing /ack.
    expect((await say(h, 'ann', `/rollback ${d.id}`))?.text).not.toMatch(/^⚠️/);
    const acked = await eventually(
      () => h.preflight.engine.incidents.get(incident.id),
      (i) => i?.state === 'acknowledged',
      10_000,
      'the acknowledgement',
    );
    expect(acked?.ack?.by).toBe('ann');
    expect(acked?.next).toBeUndefined();
    // /incident status names her, and an incident under a minute old by its seconds.
    expect((await say(h, 'ben', `/incident status ${incident.id}`))?.text).toMatch(
      new RegExp(
        `^${incident.id} acknowledged: .*\\(opened [1-5]?\\ds ago, acknowledged by Ann, deployment ${d.id}\\)$`,
      ),
    );
  });
});
