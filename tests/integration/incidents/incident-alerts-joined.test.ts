/**
 * Alertmanager alerts that join an incident a person declared or a health check opened, through the real webhook:
 * each is a cause of that incident (no second incident, no paging again), tracked as firing on it, so Alertmanager
 * reporting it resolved is said in the thread and in the webhook's answer: the incident stays open (`stillOpen`) for
 * the cause that opened it, and pages on.
 */
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/core/index.ts';
import { alertPayload, type WebhookAnswer } from '../../helpers/alert-webhook.ts';
import { useAlertWorld } from '../../helpers/alert-world.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { eventually, incidentNotes, incidents, typeIn } from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const world = useAlertWorld(suite);

const A1 = { name: 'ServiceDown', fingerprint: 'a1' };
const D1 = { name: 'DiskFull', fingerprint: 'd1' };
const firing = (a: typeof A1) => alertPayload(a.name, [a]);
const resolved = (a: typeof A1) => alertPayload(a.name, [{ ...a, status: 'resolved' }]);

/** Each escalation page went out once: nothing paged the same level and round again. */
function pagedOnce(incident: Incident | undefined): void {
  const rounds = (incident?.pages ?? []).map((p) => `${p.levelId}#${p.repeat}`);
  expect(new Set(rounds).size).toBe(rounds.length);
}

/** The notes of `id`'s thread starting with `prefix`, once there are `count`. */
const notesOf = (h: Parameters<typeof incidents>[0], id: string, prefix: string, count = 1) =>
  eventually(
    async () => incidentNotes(h, id).filter((n) => n.startsWith(prefix)),
    (n) => n.length >= count,
    10_000,
    `${count} "${prefix}" note(s) in ${id}'s thread`,
  );

describe('alerts that join an incident a person declared', () => {
  it('are its causes while they fire; all resolved, the answer says it stays open for the declaration', async () => {
    const { h, d, post } = await world.live();
    const opened = await typeIn(h, 'ben', `/incident open ${d.id} users see 500s`);
    const [declared] = await incidents(h);
    const id = declared?.id ?? '';
    expect(opened).toContain(id);
    expect(declared?.trigger).toBe('manual');

    // Two alerts of the same outage join it: no incident of their own, each a cause said in the thread.
    expect((await post(firing(A1))).incidents).toEqual([]);
    expect((await post(firing(D1))).incidents).toEqual([]);
    const joined = await h.preflight.engine.incidents.get(id);
    expect(joined?.alerts).toEqual(['a1@2025-03-01T10:00:00Z', 'd1@2025-03-01T10:00:00Z']);
    expect(await notesOf(h, id, '➕', 2)).toEqual([
      `➕ Another cause for ${id}: Critical alerts: 1 firing (ServiceDown), after ${d.id} (v1.0.0)`,
      `➕ Another cause for ${id}: Critical alerts: 1 firing (DiskFull), after ${d.id} (v1.0.0)`,
    ]);

    // One resolves: the other still fires, and the thread says so.
    const first: WebhookAnswer = await post(resolved(A1));
    expect([first.resolved, first.stillOpen]).toEqual([undefined, undefined]);
    expect(await notesOf(h, id, '🟡')).toEqual([
      `🟡 Alertmanager reports ServiceDown resolved; 1 alert of ${id} still firing.`,
    ]);

    // The last resolves: not "resolved", the declaration holds it open, and paging goes on.
    const last = await post(resolved(D1));
    expect(last.resolved).toBeUndefined();
    expect(last.stillOpen).toEqual([{ incident: id, openFor: ['manual'] }]);
    expect((await notesOf(h, id, '🟡', 2))[1]).toBe(
      `🟡 Alertmanager reports DiskFull resolved, but ${id} stays open for its other cause: users see 500s. Paging goes on.`,
    );
    const after = await h.preflight.engine.incidents.get(id);
    expect(after).toMatchObject({ state: 'open', alerts: [] });
    expect(after?.cleared).toBeUndefined();
    expect(after?.next).toBeDefined();
    pagedOnce(after);
    const audit = await h.preflight.engine.incidents.audit(id);
    expect(audit.filter((r) => r.type === 'incident.refired')).toEqual([]);
    expect(incidentNotes(h, id).filter((n) => n.startsWith('🔴'))).toEqual([]);
    expect(await incidents(h)).toHaveLength(1);
  }, 60_000);
});

describe('an alert that joins an incident a health check opened', () => {
  it('resolved, is reported: the incident stays open for the failing health check', async () => {
    // No Alertmanager to poll: its alerts arrive only by the webhook.
    const { h, fake, post } = await world.live({ alertmanager: false });
    fake.health = 503;
    const [opened] = await eventually(
      () => incidents(h),
      (all) => all.length > 0,
      20_000,
      'the incident of the failing health check',
    );
    const id = opened?.id ?? '';
    expect(opened?.trigger).toBe('web-down');

    expect((await post(firing(A1))).incidents).toEqual([]);
    expect((await h.preflight.engine.incidents.get(id))?.alerts).toEqual(['a1@2025-03-01T10:00:00Z']);
    const answer = await post(resolved(A1));
    expect(answer.resolved).toBeUndefined();
    expect(answer.stillOpen).toEqual([{ incident: id, openFor: ['web-down'] }]);
    expect(await notesOf(h, id, '🟡')).toEqual([
      `🟡 Alertmanager reports ServiceDown resolved, but ${id} stays open for its other cause: ${opened?.title}. Paging goes on.`,
    ]);
    const after = await h.preflight.engine.incidents.get(id);
    expect(after).toMatchObject({ state: 'open', alerts: [] });
    expect(after?.cleared).toBeUndefined();
    pagedOnce(after);
    expect(await incidents(h)).toHaveLength(1);
  }, 60_000);
});
