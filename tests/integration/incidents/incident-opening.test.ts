/**
 * Opening incidents through real BullMQ timers and local HTTP servers: unknown monitoring opens nothing, concurrent
 * webhooks and racing jobs open one incident, a second cause is added to it, and an incident declared for the
 * service becomes the deployment's when its triggers fire.
 */
import { describe, expect, it } from 'vitest';
import { renderIncidentTopic } from '../../../src/bot/render/render-incident.ts';
import { applyIncidentEvent, openIncidentFor, plainLiterals } from '../../../src/core/index.ts';
import { firingFixture, serveAlertWebhook } from '../../helpers/alert-webhook.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { type FakeMonitoring, refusedUrl } from '../../helpers/fake-monitoring.ts';
import { useFakeMonitoring } from '../../helpers/fake-monitoring-suite.ts';
import {
  type ChatThread,
  deployLive,
  deploymentNotes,
  eventually,
  incidentNotes,
  incidentRunbook,
  incidents,
  threadOf,
  typeIn,
} from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const monitoring = useFakeMonitoring();
let fake: FakeMonitoring | undefined;

/** A deployment live with healthy monitoring, and the Alertmanager webhook served on a free port. */
async function liveWithWebhook(runbook = (url: string) => incidentRunbook(url)) {
  fake = await monitoring.start({ up: '1', errors: '0.01' });
  const h = await suite.start({
    runbook: runbook(fake.url),
    config: { PROMETHEUS_URL: fake.url, ALERTMANAGER_URL: fake.url },
  });
  const d = await deployLive(h, 'v1.0.0');
  return { h, d, webhook: await serveAlertWebhook(h) };
}

describe('monitoring that cannot tell', () => {
  it('unreachable Prometheus and Alertmanager open nothing; a missing baseline and a lasting unknown are said', async () => {
    fake = await monitoring.start();
    const down = await refusedUrl();
    const h = await suite.start({
      runbook: incidentRunbook(fake.url),
      config: { PROMETHEUS_URL: down, ALERTMANAGER_URL: down },
    });
    const d = await deployLive(h, 'v1.0.0');

    const baseline = await eventually(
      async () => deploymentNotes(h, d.id, 'baseline-missing:errors'),
      (n) => n.length > 0,
      20_000,
      'the missing-baseline note',
    );
    const problems = await eventually(
      async () => deploymentNotes(h, d.id, 'monitoring-problem:crit:'),
      (n) => n.length > 0,
      20_000,
      'the monitoring-problem note',
    );
    const text = (n: (typeof problems)[number]) => plainLiterals((n.effect.topic as { text: string }).text);
    expect(text(problems[0] as (typeof problems)[number])).toMatch(
      /^⚠️ Monitoring problem, not a service failure: the trigger Critical alerts cannot be judged for \d+s: Alertmanager: .*@\{ann\}/,
    );
    expect(baseline.map(text).join('\n')).toMatch(
      /No baseline for the trigger Errors worse than before: Prometheus: /,
    );
    const health = deploymentNotes(h, d.id, 'health:0');
    expect(text(health[0] as (typeof health)[number])).toMatch(/web ok; up UNKNOWN \(Prometheus: /);
    expect(await incidents(h)).toEqual([]);
    const audit = await h.preflight.engine.store.audit(d.id);
    expect(audit.map((r) => r.type)).toContain('baseline.missing');
  });
});

describe('one incident per deployment', () => {
  it('three concurrent Alertmanager webhooks and two racing jobs open one incident; the other cause is added', async () => {
    const { h, d, webhook } = await liveWithWebhook();
    try {
      const payload = firingFixture();
      // Each answers 200 (post throws otherwise).
      const post = () => webhook.post(payload);
      const job = () =>
        openIncidentFor(h.preflight.engine, {
          deploymentId: d.id,
          title: '/health failing: web (HTTP 503) failing for 2s',
          trigger: 'web-down',
          openedBy: 'preflight',
        });
      const [, , , x, y] = await Promise.all([post(), post(), post(), job(), job()]);
      expect([x.ok, y.ok]).toEqual([true, true]);
    } finally {
      await webhook.close();
    }
    const open = await incidents(h);
    expect(open).toHaveLength(1);
    const incident = open[0];
    if (!incident) return;
    const causes = [incident.trigger, ...(incident.causes ?? []).map((c) => c.trigger)].sort();
    expect(causes).toEqual(['crit', 'web-down']);
    expect(incident.pages.map((p) => p.levelId)).toEqual(['L1']);
    const audit = await h.preflight.engine.incidents.audit(incident.id);
    expect(audit.filter((r) => r.type === 'incident.cause_added')).toHaveLength(1);
    expect(audit.filter((r) => r.type === 'incident.opened')).toHaveLength(1);
  });
});

describe('Alertmanager re-sends after the incident was resolved', () => {
  it('open nothing for the same firing episode, and a new incident when the alert fires again', async () => {
    const { h, webhook } = await liveWithWebhook();
    const post = async (startsAt?: string) => {
      const payload = firingFixture<{ alerts: { status: string; startsAt: string }[] }>();
      if (startsAt) for (const a of payload.alerts) if (a.status === 'firing') a.startsAt = startsAt;
      return webhook.post(payload);
    };
    const resolve = async (id: string) => {
      const done = await applyIncidentEvent(h.preflight.engine, id, { type: 'incident.resolve', by: 'ann' });
      expect(done.ok).toBe(true);
    };
    try {
      const first = await post();
      expect(first.incidents).toHaveLength(1);
      await resolve(first.incidents[0] ?? '');
      // Alertmanager's repeat_interval: the same group, the same alerts, the same startsAt.
      expect((await post()).incidents).toEqual([]);
      expect((await post()).incidents).toEqual([]);
      expect((await incidents(h)).map((i) => i.state)).toEqual(['resolved']);
      // The alert resolved and fired again: a new episode, a new incident.
      const again = await post('2025-03-01T11:30:00Z');
      expect(again.incidents).toHaveLength(1);
      expect(again.incidents[0]).not.toBe(first.incidents[0]);
    } finally {
      await webhook.close();
    }
  });
});

describe('an alert whose labels carry a credential', () => {
  it('opens an incident whose stored title, health and audit hold it masked', async () => {
    const { h, webhook } = await liveWithWebhook();
    const payload = firingFixture<{
      alerts: { labels: Record<string, string>; annotations: Record<string, string> }[];
    }>();
    for (const alert of payload.alerts) {
      alert.labels.alertname = 'DbDown password=hunter2secret';
      alert.annotations.summary = 'connect with AKIAIOSFODNN7EXAMPLE';
    }
    try {
      const { incidents: opened } = await webhook.post(payload);
      expect(opened).toHaveLength(1);
      const incident = await h.preflight.engine.incidents.get(opened[0] ?? '');
      const audit = await h.preflight.engine.incidents.audit(opened[0] ?? '');
      const stored = JSON.stringify({ incident, audit });
      expect(stored).toContain('DbDown password=');
      expect(stored).not.toContain('hunter2secret');
      expect(stored).not.toContain('AKIAIOSFODNN7EXAMPLE');

      // A note typed when resolving, and a reason typed when aborting, are kept masked too.
      const resolved = await applyIncidentEvent(h.preflight.engine, opened[0] ?? '', {
        type: 'incident.resolve',
        by: 'ann',
        note: 'rotated the db password=hunter2zzz',
      });
      expect(resolved.ok).toBe(true);
      const after = JSON.stringify({
        incident: await h.preflight.engine.incidents.get(opened[0] ?? ''),
        audit: await h.preflight.engine.incidents.audit(opened[0] ?? ''),
      });
      expect(after).toContain('rotated the db password=');
      expect(after).not.toContain('hunter2zzz');
    } finally {
      await webhook.close();
    }
  });
});

describe('an alert from one environment', () => {
  it('opens its incident for the deployment in that environment, not a newer one elsewhere', async () => {
    const withStaging = (url: string) =>
      incidentRunbook(url).replace(
        'environments: { production: { default: true } }',
        'environments: { production: { default: true }, staging: {} }',
      );
    const { h, d: production, webhook } = await liveWithWebhook(withStaging);
    const staged = await h.start('v1.1.0', 'ann', 'staging');
    if (!staged.ok) throw staged.error;
    // Live in staging too: an alert is "after" a deployment that deployed something.
    await h.waitFor(staged.deployment.id, (x) => x.state === 'awaiting_gates');
    const approved = await h.apply(staged.deployment.id, { type: 'gate.approve', gate: 'go', by: 'ben' });
    if (!approved.ok) throw approved.error;
    await h.waitFor(staged.deployment.id, (x) => x.state === 'monitoring', 30_000);
    const post = async (labels: Record<string, string>, groupKey: string) => {
      const payload = firingFixture<{ groupKey: string; alerts: { labels: Record<string, string> }[] }>();
      payload.groupKey = groupKey;
      for (const alert of payload.alerts) Object.assign(alert.labels, labels);
      const { incidents: opened } = await webhook.post(payload);
      expect(opened).toHaveLength(1);
      return h.preflight.engine.incidents.get(opened[0] ?? '');
    };
    try {
      const prod = await post({ environment: 'production' }, '{}:{alertname="ServiceDown",env="production"}');
      expect(prod).toMatchObject({ deploymentId: production.id, environment: 'production' });
      expect(prod?.title).toContain(`after ${production.id} (v1.0.0)`);
      const staging = await post({ env: 'staging' }, '{}:{alertname="ServiceDown",env="staging"}');
      expect(staging).toMatchObject({ deploymentId: staged.deployment.id, environment: 'staging' });

      // Two incidents open: /ack typed in an incident's thread, or in its deployment's, means that incident.
      const stagingId = staging?.id ?? '';
      const prodId = prod?.id ?? '';
      expect(await typeIn(h, 'ann', '/ack')).toMatch(/^⚠️ 2 incidents are open .*name the one you mean$/);
      expect(await typeIn(h, 'ann', '/ack', await threadOf(h, stagingId))).toMatch(
        new RegExp(`^👀 ${stagingId} acknowledged by Ann`),
      );
      expect(await typeIn(h, 'ann', '/ack', await threadOf(h, production.id))).toMatch(
        new RegExp(`^👀 ${prodId} acknowledged by Ann`),
      );
      expect(await typeIn(h, 'ann', '/incident status', await threadOf(h, stagingId))).toMatch(
        new RegExp(`^${stagingId} acknowledged: svc staging`),
      );
    } finally {
      await webhook.close();
    }
  });
});

describe("an incident declared for the service, then the deployment's triggers fire", () => {
  it("becomes the deployment's incident once: health, rollback prompt, /rollback from it; no second incident or page", async () => {
    const { h, d, webhook } = await liveWithWebhook();
    await webhook.close();
    const engine = h.preflight.engine;
    const say = (userId: string, text: string, thread?: ChatThread) => typeIn(h, userId, text, thread);
    expect(await say('ann', '/incident open svc users see 500s')).toMatch(/^🚨 INC-1 opened/);

    // Two triggers of the deployment race to the declared incident, and the health trigger then fires for real.
    const trigger = (id: string, title: string) =>
      openIncidentFor(engine, {
        deploymentId: d.id,
        title,
        trigger: id,
        openedBy: 'preflight',
        health: 'web FAILING (HTTP 503); up ok',
      });
    const raced = await Promise.all([
      trigger('errors', 'Errors worse than before'),
      trigger('crit', 'Critical alerts: 1 firing'),
    ]);
    expect(raced.map((r) => r.ok && r.existing)).toEqual([true, true]);
    expect(raced.filter((r) => r.ok && r.linked)).toHaveLength(1);
    if (!fake) throw new Error('no fake monitoring');
    fake.health = 503;
    const [incident] = await eventually(
      () => incidents(h),
      (all) => all.some((i) => i.causes?.some((c) => c.trigger === 'web-down')),
      20_000,
      'the health trigger to reach the declared incident',
    );
    if (!incident) throw new Error('no incident');
    expect(await incidents(h)).toHaveLength(1);
    expect(incident).toMatchObject({
      id: 'INC-1',
      deploymentId: d.id,
      health: 'web FAILING (HTTP 503); up ok',
    });
    expect((await engine.incidents.openFor(d.id))?.id).toBe('INC-1');
    expect(await engine.incidents.openForService('svc', 'production')).toBeUndefined();
    const audit = await engine.incidents.audit('INC-1');
    expect(audit.filter((r) => r.type === 'incident.linked')).toHaveLength(1);
    expect(audit.filter((r) => r.type === 'incident.opened')).toHaveLength(1);
    expect(audit.filter((r) => r.type === 'incident.paged' && r.detail.level === 'L1')).toHaveLength(1);

    // Its thread is told, once, with the health and the ways to roll back; its message shows them too.
    const linkedNotes = await eventually(
      async () => incidentNotes(h, 'INC-1').filter((n) => n.startsWith('🔗')),
      (notes) => notes.length > 0,
      20_000,
      'the link note in the thread',
    );
    expect(linkedNotes).toEqual([
      `🔗 INC-1 is now about ${d.id} (its thread in #{channel|#deploy|${d.id}|status}).\nHealth: web FAILING (HTTP 503); up ok\nRoll back: \`/rollback ${d.id}\`, react 🔄 on the INC-1 message, or press Roll back.`,
    ]);
    const message = renderIncidentTopic(
      {
        incident,
        runbook: await engine.runbooks.pinned(incident.runbookDigest),
        deployment: await h.get(d.id),
        now: Date.now(),
      },
      { kind: 'incident' },
    );
    expect(message.text).toContain(`Roll back: \`/rollback ${d.id}\`, react 🔄, or press Roll back.`);
    expect(message.buttons?.map((b) => b.value)).toContain(d.id);

    // /incident open again points at it; /rollback from the incident rolls its deployment back and answers it.
    expect(await say('ben', '/incident open svc checkout is slow')).toBe(
      'INC-1 is already open for svc production: users see 500s. What you said was added to it as a cause; follow it in #incident.',
    );
    expect(await say('ann', '/rollback INC-1')).toContain(`${d.id}: rolling back svc`);
    await h.waitFor(d.id, (x) => x.state === 'rolled_back', 20_000);
    expect((await engine.incidents.get('INC-1'))?.ack?.by).toBe('ann');
    expect(await incidents(h)).toHaveLength(1);

    // Deployment commands typed in its thread (or naming it) act on its deployment.
    const inc1 = await threadOf(h, 'INC-1');
    expect(await say('ann', '/deploy status', inc1)).toMatch(new RegExp(`^${d.id}\\b.*rolled`, 's'));
    expect(await say('ann', '/deploy status INC-1')).toMatch(new RegExp(`^${d.id}\\b`));
    expect(await say('ann', '/deploy abort', inc1)).toBe(
      `⚠️ deployment ${d.id} is rolled back, so it cannot take that now; once it is safe to deploy again, \`/deploy unlock svc production <reason>\` and \`/deploy start svc <version> production\` with a fixed version; \`/deploy history svc\` lists what ran`,
    );

    // Resolved, it is nobody's open incident any more: the next declaration opens a new one.
    expect(await say('ann', '/incident resolve INC-1 rolled back')).toMatch(/^✅ INC-1 resolved/);
    expect(await say('ann', '/incident open svc still slow')).toMatch(/^🚨 INC-2 opened/);
    // About no deployment: its thread's deployment commands say what to type instead.
    const inc2 = await threadOf(h, 'INC-2');
    const instead = (command: string) =>
      `⚠️ INC-2 was declared for svc production and is about no deployment; name the deployment: ${command} (recent ones for svc production: ${d.id})`;
    expect(await say('ann', '/deploy abort', inc2)).toBe(instead('/deploy abort <deployment> [reason]'));
    expect(await say('ann', '/deploy status', inc2)).toBe(instead('/deploy status <deployment>'));
    expect(await say('ann', '/rollback', inc2)).toBe(instead('/rollback <deployment>'));
    expect(await say('ann', '/deploy pause INC-2')).toBe(instead('/deploy pause <deployment>'));
  }, 60_000);
});

describe('a declaration and a trigger committing at the same moment', () => {
  it('make one incident, whichever commits second joining the first', async () => {
    const { h, d, webhook } = await liveWithWebhook();
    await webhook.close();
    const engine = h.preflight.engine;
    for (let round = 0; round < 12; round++) {
      const [declared, found] = await Promise.all([
        openIncidentFor(engine, {
          service: 'svc',
          environment: 'production',
          title: `users see 500s (${round})`,
          trigger: 'manual',
          openedBy: 'ann',
        }),
        openIncidentFor(engine, {
          deploymentId: d.id,
          title: 'Errors worse than before',
          trigger: 'errors',
          openedBy: 'preflight',
        }),
      ]);
      if (!declared.ok || !found.ok) throw new Error('could not open');
      expect(declared.incident.id).toBe(found.incident.id);
      const open = (await incidents(h)).filter((i) => i.state !== 'resolved');
      expect(open.map((i) => i.id)).toEqual([found.incident.id]);
      expect(open[0]?.deploymentId).toBe(d.id);
      const done = await applyIncidentEvent(engine, found.incident.id, {
        type: 'incident.resolve',
        by: 'ann',
      });
      expect(done.ok).toBe(true);
    }
  }, 60_000);
});

describe('an incident resolved while its health trigger still fires', () => {
  it('says so in its thread and opens a new incident only once the trigger kept firing failing_for after the resolve', async () => {
    const { h, d, webhook } = await liveWithWebhook();
    await webhook.close();
    if (!fake) throw new Error('no fake monitoring');
    const engine = h.preflight.engine;
    fake.health = 503;
    const [first] = await eventually(
      () => incidents(h),
      (all) => all.length > 0,
      20_000,
      'the incident of the failing health check',
    );
    const id = first?.id ?? '';
    const done = await applyIncidentEvent(engine, id, { type: 'incident.resolve', by: 'ann' });
    if (!done.ok) throw done.error;
    const resolvedAt = done.incident.resolution?.at ?? 0;

    const [warned] = await eventually(
      async () => incidentNotes(h, id).filter((n) => n.includes('still fires')),
      (n) => n.length > 0,
      20_000,
      'the note that the trigger still fires',
    );
    expect(warned).toMatch(
      new RegExp(
        `^⚠️ /health failing still fires after ${id} was resolved: web \\(HTTP 503 \\(expected 200\\)\\) failing for \\d+s\\. If it still fires 2s after the resolve, Preflight opens a new incident and pages L1\\.$`,
      ),
    );
    // Still failing: a new incident, paged, but not before the trigger's own failing_for after the resolve.
    const [again] = await eventually(
      () => incidents(h),
      (all) => all.length > 1,
      20_000,
      'the new incident of the trigger still firing',
    );
    expect(again).toMatchObject({ trigger: 'web-down', deploymentId: d.id, state: 'open' });
    expect((again?.openedAt ?? 0) - resolvedAt).toBeGreaterThanOrEqual(2_000);
    expect(again?.pages.map((p) => p.levelId)).toEqual(['L1']);
    expect(incidentNotes(h, id).filter((n) => n.includes('still fires'))).toHaveLength(1);
    const audit = await engine.incidents.audit(id);
    expect(audit.filter((r) => r.type === 'incident.still_firing').map((r) => r.detail.trigger)).toEqual([
      'web-down',
    ]);
  }, 60_000);
});
