/**
 * Alertmanager's alerts over an incident's life, through the real webhook: each alert counts once (a re-send or
 * what is left of a group when part of it recovered opens nothing; another alert joins the open incident), all of
 * an incident's alerts resolved stop paging even with no Alertmanager to re-check, an unknown environment is not
 * guessed, a declared incident and a trigger's for the same outage are one incident, each alert that reaches an
 * incident a health check opened is another cause of it, and the alerts of an incident the Alertmanager poll opened
 * are known to the webhook, firing or resolved.
 */
import { describe, expect, it } from 'vitest';
import { applyIncidentEvent, openIncidentFor } from '../../../src/core/index.ts';
import { alertPayload } from '../../helpers/alert-webhook.ts';
import { useAlertWorld } from '../../helpers/alert-world.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import type { FakeMonitoring } from '../../helpers/fake-monitoring.ts';
import { alertPolls, eventually, incidentNotes, incidents, typeIn } from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const world = useAlertWorld(suite);
let fake: FakeMonitoring | undefined;

/** Waits until the poll asked the fake Alertmanager `times` more times. */
function polled(times: number): Promise<void> {
  if (!fake) throw new Error('no fake monitoring');
  return alertPolls(fake, times);
}

/** A deployment live with healthy checks; Alertmanager itself is not reachable for re-checks unless `withAm`. */
async function live(withAm = false) {
  const { h, d, fake: monitoring, post } = await world.live({ alertmanager: withAm });
  fake = monitoring;
  return { h, d, post };
}

describe('alerts of one outage', () => {
  it('another alert joins the acknowledged incident once; a partial recovery opens nothing, before or after resolving', async () => {
    const { h, post } = await live(true);
    const both = [
      { name: 'ServiceDown', fingerprint: 'a1' },
      { name: 'ServiceDown', fingerprint: 'a2' },
    ];
    const opened = await post(alertPayload('ServiceDown', both));
    expect(opened.incidents).toHaveLength(1);
    const id = opened.incidents[0] ?? '';
    expect((await applyIncidentEvent(h.preflight.engine, id, { type: 'incident.ack', by: 'ann' })).ok).toBe(
      true,
    );

    // Another alert, in another group, while the incident is acknowledged: a cause of it, said in its thread.
    const disk = alertPayload('DiskFull', [{ name: 'DiskFull', fingerprint: 'd1' }]);
    expect((await post(disk)).incidents).toEqual([]);
    expect((await post(disk)).incidents).toEqual([]);
    const notes = await eventually(
      async () => incidentNotes(h, id).filter((n) => n.includes('Another cause')),
      (n) => n.length > 0,
      10_000,
      'the note of the other alert',
    );
    expect(notes).toEqual([
      `➕ Another cause for ${id}: Critical alerts: 1 firing (DiskFull), after svc-1 (v1.0.0)`,
    ]);
    const audit = await h.preflight.engine.incidents.audit(id);
    expect(audit.filter((r) => r.type === 'incident.cause_added')).toHaveLength(1);

    // One of the group recovers: nothing opens, and the incident keeps the alerts still firing.
    // Part of it recovering is said as such: not "resolved", and the thread tells how many still fire.
    const partial = alertPayload('ServiceDown', [both[0], { ...both[1], status: 'resolved' }] as never);
    const partly = await post(partial);
    expect(partly.incidents).toEqual([]);
    expect(partly.resolved).toBeUndefined();
    expect((await h.preflight.engine.incidents.get(id))?.alerts).toEqual([
      'a1@2025-03-01T10:00:00Z',
      'd1@2025-03-01T10:00:00Z',
    ]);
    const still = await eventually(
      async () => incidentNotes(h, id).filter((n) => n.startsWith('🟡')),
      (n) => n.length > 0,
      10_000,
      'the note of the partial recovery',
    );
    expect(still).toEqual([`🟡 Alertmanager reports ServiceDown resolved; 2 alerts of ${id} still firing.`]);
    expect(
      (await applyIncidentEvent(h.preflight.engine, id, { type: 'incident.resolve', by: 'ann' })).ok,
    ).toBe(true);
    expect((await post(partial)).incidents).toEqual([]);
    expect((await post(disk)).incidents).toEqual([]);
    expect(await incidents(h)).toHaveLength(1);
  });

  it('every alert of an incident resolved stops its paging when Alertmanager cannot be asked; firing again pages again', async () => {
    const { h, post } = await live();
    const firing = alertPayload('ServiceDown', [{ name: 'ServiceDown', fingerprint: 'a1' }]);
    const id = (await post(firing)).incidents[0] ?? '';
    expect(id).not.toBe('');
    const resolved = alertPayload('ServiceDown', [
      { name: 'ServiceDown', fingerprint: 'a1', status: 'resolved' },
    ]);
    expect((await post(resolved)).resolved).toEqual([id]);
    const cleared = await h.preflight.engine.incidents.get(id);
    expect(cleared?.next).toBeUndefined();
    expect(cleared?.cleared?.detail).toBe('Alertmanager reports ServiceDown resolved');
    const pages = cleared?.pages.length ?? 0;
    // L1 answers within 3 s in this runbook: no page comes after that.
    await new Promise((r) => setTimeout(r, 4_000));
    expect((await h.preflight.engine.incidents.get(id))?.pages).toHaveLength(pages);
    expect(incidentNotes(h, id)).toContain(
      `🟢 Cleared: Alertmanager reports ServiceDown resolved. Paging stops. ${id} stays open until someone resolves it with \`/incident resolve ${id}\`.`,
    );

    const again = alertPayload('ServiceDown', [
      { name: 'ServiceDown', fingerprint: 'a1', startsAt: '2025-03-01T11:00:00Z' },
    ]);
    expect((await post(again)).incidents).toEqual([]);
    const refired = await h.preflight.engine.incidents.get(id);
    expect(refired?.next).toBeDefined();
    expect(refired?.cleared).toBeUndefined();
  });

  it('its alerts resolved while a person’s declaration joined it: the answer says it stays open, not resolved', async () => {
    const { h, d, post } = await live();
    const firing = alertPayload('ServiceDown', [{ name: 'ServiceDown', fingerprint: 'a1' }]);
    const id = (await post(firing)).incidents[0] ?? '';
    expect(id).not.toBe('');
    // Ben sees users get 500s too: his declaration is another cause of the same incident.
    expect(await typeIn(h, 'ben', `/incident open ${d.id} checkout answers 500`)).toContain(id);
    expect((await h.preflight.engine.incidents.get(id))?.causes?.map((c) => c.trigger)).toEqual(['manual']);

    const resolved = alertPayload('ServiceDown', [
      { name: 'ServiceDown', fingerprint: 'a1', status: 'resolved' },
    ]);
    const answer = await post(resolved);
    expect(answer.resolved).toBeUndefined();
    expect(answer.stillOpen).toEqual([{ incident: id, openFor: ['manual'] }]);
    const after = await h.preflight.engine.incidents.get(id);
    expect(after?.state).toBe('open');
    expect(after?.cleared).toBeUndefined();
    expect(after?.next).toBeDefined();
    const told = await eventually(
      async () => incidentNotes(h, id).filter((n) => n.startsWith('🟡')),
      (n) => n.length > 0,
      10_000,
      'the note that it stays open',
    );
    expect(told).toEqual([
      `🟡 Alertmanager reports ServiceDown resolved, but ${id} stays open for its other cause: checkout answers 500. Paging goes on.`,
    ]);
  });

  it('an alert naming an environment the runbook does not have opens nothing and is named in the answer', async () => {
    const { h, post } = await live(true);
    const qa = alertPayload('ServiceDown', [
      { name: 'ServiceDown', fingerprint: 'q1', labels: { environment: 'qa' } },
    ]);
    const answer = await post(qa);
    expect(answer).toMatchObject({ matched: 0, incidents: [] });
    expect(answer.ignored).toEqual(['ServiceDown: svc has no environment "qa" in its runbook']);
    expect(await incidents(h)).toEqual([]);
  });

  it('an alert naming the environment in another case (Production) opens the incident of that environment', async () => {
    const { h, d, post } = await live(true);
    const shouted = alertPayload('ServiceDown', [
      { name: 'ServiceDown', fingerprint: 'p1', labels: { environment: 'PRODUCTION' } },
    ]);
    const answer = await post(shouted);
    expect(answer.ignored).toBeUndefined();
    expect(answer).toMatchObject({ matched: 1 });
    const [id] = answer.incidents;
    const incident = await h.preflight.engine.incidents.get(id ?? '');
    expect(incident?.environment).toBe('production');
    expect(incident?.deploymentId).toBe(d.id);
  });

  it('an alert naming an environment that is a word of JavaScript objects (toString) opens nothing', async () => {
    const { h, post } = await live(true);
    const odd = alertPayload('ServiceDown', [
      { name: 'ServiceDown', fingerprint: 't1', labels: { environment: 'toString' } },
    ]);
    const answer = await post(odd);
    expect(answer).toMatchObject({ matched: 0, incidents: [] });
    expect(answer.ignored).toEqual(['ServiceDown: svc has no environment "toString" in its runbook']);
    expect(await incidents(h)).toEqual([]);
  });
});

describe('a storm of alerts', () => {
  it('opens one incident whose title and health name the first few and count the rest', async () => {
    const { h, post } = await live();
    const storm = Array.from({ length: 300 }, (_, i) => ({ name: `Down${i % 40}`, fingerprint: `s${i}` }));
    const [id] = (await post(alertPayload('Storm', storm))).incidents;
    const incident = await h.preflight.engine.incidents.get(id ?? '');
    expect(incident?.alerts).toHaveLength(300);
    expect(incident?.title).toContain('300 firing (Down0, Down1, Down2, Down3, Down4, … and 35 more)');
    expect(incident?.health?.split('; ')).toHaveLength(11);
    expect(incident?.health).toMatch(/; … and 290 more$/);
  });
});

describe('a declared incident and a trigger for the same outage', () => {
  it('are one incident, whichever comes first', async () => {
    const { h, d } = await live(true);
    const engine = h.preflight.engine;
    const declare = () =>
      openIncidentFor(engine, {
        service: 'svc',
        environment: 'production',
        title: 'users see 500s',
        trigger: 'manual',
        openedBy: 'ann',
      });
    const trigger = () =>
      openIncidentFor(engine, {
        deploymentId: d.id,
        title: '/health failing: web (HTTP 503) failing for 2s',
        trigger: 'web-down',
        openedBy: 'preflight',
      });
    const first = await declare();
    const joined = await trigger();
    if (!first.ok || !joined.ok) throw new Error('could not open');
    expect(joined).toMatchObject({ existing: true, incident: { id: first.incident.id } });
    expect(
      (await applyIncidentEvent(engine, first.incident.id, { type: 'incident.resolve', by: 'ann' })).ok,
    ).toBe(true);

    const found = await trigger();
    const declared = await declare();
    if (!found.ok || !declared.ok) throw new Error('could not open');
    expect(found.existing).toBeUndefined();
    expect(declared).toMatchObject({ existing: true, incident: { id: found.incident.id } });
    expect((await incidents(h)).filter((i) => i.state !== 'resolved')).toHaveLength(1);
  });
});

describe('alerts after a health check opened the incident', () => {
  it('each new alert is another cause, said in the thread once (the second too)', async () => {
    // No Alertmanager to poll: its alerts arrive only by the webhook.
    const { h, post } = await live();
    if (!fake) throw new Error('no fake monitoring');
    fake.health = 503;
    const [opened] = await eventually(
      () => incidents(h),
      (all) => all.length > 0,
      20_000,
      'the incident of the failing health check',
    );
    const id = opened?.id ?? '';
    expect(opened?.trigger).toBe('web-down');

    const down = alertPayload('ServiceDown', [{ name: 'ServiceDown', fingerprint: 'a1' }]);
    const disk = alertPayload('DiskFull', [{ name: 'DiskFull', fingerprint: 'd1' }]);
    expect((await post(down)).incidents).toEqual([]);
    expect((await post(disk)).incidents).toEqual([]);
    expect((await post(down)).incidents).toEqual([]);
    expect((await post(disk)).incidents).toEqual([]);

    const expected = [
      `➕ Another cause for ${id}: Critical alerts: 1 firing (ServiceDown), after svc-1 (v1.0.0)`,
      `➕ Another cause for ${id}: Critical alerts: 1 firing (DiskFull), after svc-1 (v1.0.0)`,
    ];
    const notes = await eventually(
      async () => incidentNotes(h, id).filter((n) => n.includes('Another cause')),
      (n) => n.length >= expected.length,
      10_000,
      'a note for each alert',
    );
    expect(notes).toEqual(expected);
    const causes = (await h.preflight.engine.incidents.get(id))?.causes ?? [];
    expect(causes.map((c) => c.alerts)).toEqual([['a1@2025-03-01T10:00:00Z'], ['d1@2025-03-01T10:00:00Z']]);
    const audit = await h.preflight.engine.incidents.audit(id);
    expect(audit.filter((r) => r.type === 'incident.cause_added')).toHaveLength(2);
    expect(await incidents(h)).toHaveLength(1);
  }, 60_000);
});

describe('alerts of an incident the Alertmanager poll opened', () => {
  /** The alert the fake Alertmanager's API lists (startsAt to the millisecond), as the webhook names it (to the ns). */
  const WEBHOOK_F0 = { name: 'ServiceDown', fingerprint: 'f0', startsAt: '2025-03-01T10:00:12.345678901Z' };

  /** The poll finds svc's ServiceDown firing and opens its incident. */
  async function pollOpens(h: Parameters<typeof incidents>[0]) {
    if (!fake) throw new Error('no fake monitoring');
    fake.alerts = [
      { alertname: 'ServiceDown', severity: 'critical', service: 'svc', instance: 'svc-0:8080' },
    ];
    const [opened] = await eventually(
      () => incidents(h),
      (all) => all.length > 0,
      20_000,
      'the incident of the polled alert',
    );
    if (!opened) throw new Error('no incident');
    return opened;
  }

  it('are the same alerts to the webhook: firing again adds nothing, resolved stops the paging', async () => {
    const { h, post } = await live(true);
    const opened = await pollOpens(h);
    const id = opened.id;
    expect(opened.trigger).toBe('crit');

    // The webhook names the same alert to the nanosecond; the API named it to the millisecond.
    const alert = WEBHOOK_F0;
    expect((await post(alertPayload('ServiceDown', [alert]))).incidents).toEqual([]);
    if (!fake) throw new Error('no fake monitoring');
    fake.alerts = [];
    const resolved = await post(alertPayload('ServiceDown', [{ ...alert, status: 'resolved' }]));
    expect(resolved.resolved).toEqual([id]);
    const cleared = await h.preflight.engine.incidents.get(id);
    expect(cleared?.causes).toBeUndefined();
    expect(cleared?.next).toBeUndefined();
    expect(cleared?.cleared?.detail).toBe('Alertmanager reports ServiceDown resolved');
    expect(incidentNotes(h, id).filter((n) => n.startsWith('➕'))).toEqual([]);
    expect(await incidents(h)).toHaveLength(1);
  }, 60_000);

  it('resolved by the webhook while the lagging API still lists them: no page, no "fired again"', async () => {
    const { h, post } = await live(true);
    const opened = await pollOpens(h);
    const id = opened.id;
    const alert = WEBHOOK_F0;
    // Alertmanager's webhook says resolved; its API answers the polls with the alert for a while longer.
    expect((await post(alertPayload('ServiceDown', [{ ...alert, status: 'resolved' }]))).resolved).toEqual([
      id,
    ]);
    const cleared = await h.preflight.engine.incidents.get(id);
    const triggers = () => (fake?.pagerduty.received ?? []).filter((e) => e.event_action === 'trigger');
    const paged = triggers().length;
    await polled(3);
    const after = await h.preflight.engine.incidents.get(id);
    expect(after?.next).toBeUndefined();
    expect(after?.cleared).toEqual(cleared?.cleared);
    expect(after?.pages).toEqual(cleared?.pages);
    expect(triggers()).toHaveLength(paged);
    expect(incidentNotes(h, id).filter((n) => n.startsWith('🔴'))).toEqual([]);
    expect(await incidents(h)).toHaveLength(1);
  }, 60_000);

  it('resolved by a person while the same firing is still listed: the poll opens nothing until it fires anew', async () => {
    const { h, post } = await live(true);
    if (!fake) throw new Error('no fake monitoring');
    const engine = h.preflight.engine;
    const resolve = async (id: string) =>
      expect((await applyIncidentEvent(engine, id, { type: 'incident.resolve', by: 'ann' })).ok).toBe(true);

    // The webhook reports it first; the poll then sees the same firing (to the millisecond).
    const alert = WEBHOOK_F0;
    const [first = ''] = (await post(alertPayload('ServiceDown', [alert]))).incidents;
    // Resolving says what the alert still firing does now: nothing until it fires anew.
    const still =
      'Alertmanager has not reported 1 of its alerts resolved: while that firing lasts it opens no new incident; an alert that fires anew opens one and pages L1.';
    expect(await typeIn(h, 'ann', `/incident resolve ${first}`)).toBe(
      `✅ ${first} resolved; said so in its thread in #incident. ${still}`,
    );
    const resolvedNotes = await eventually(
      async () => incidentNotes(h, first).filter((n) => n.startsWith('✅')),
      (notes) => notes.length > 0,
      20_000,
      'the resolve note in the thread',
    );
    expect(resolvedNotes).toEqual([`✅ @{ann} resolved ${first}.\n${still}`]);
    fake.alerts = [
      { alertname: 'ServiceDown', severity: 'critical', service: 'svc', instance: 'svc-0:8080' },
    ];
    await polled(3);
    expect((await incidents(h)).map((i) => [i.id, i.state])).toEqual([[first, 'resolved']]);

    // It resolved and fired again: the poll opens a new incident, and after it is resolved, nothing more.
    fake.alertsStartAt = '2025-03-01T11:00:00.000Z';
    const [again] = await eventually(
      () => incidents(h),
      (all) => all.length > 1,
      20_000,
      'the incident of the new firing',
    );
    expect(again?.alerts).toEqual(['f0@2025-03-01T11:00:00.000Z']);
    await resolve(again?.id ?? '');
    await polled(3);
    expect((await incidents(h)).map((i) => i.state)).toEqual(['resolved', 'resolved']);
  }, 60_000);
});
