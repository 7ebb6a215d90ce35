/**
 * One Alertmanager notification carrying several alerts of one service: one recovering as another starts, and
 * alerts of two of the runbook's triggers. The incident pages on while any of them fires: it is never reported
 * resolved or cleared meanwhile, and its ladder keeps its time (the next level is not paged early).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type AlertWebhook, alertPayload, serveAlertWebhook } from '../../helpers/alert-webhook.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { eventually, incidentNotes, incidents } from '../../helpers/incident-world.ts';

const RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deploy", incident: "#incident" }
people:
  ann: { name: Ann, slack: U1 }
  cat: { name: Cat, slack: U3 }
groups: { ops: [ann], lead: [cat] }
permissions: { deploy: [ops], rollback: [ops] }
steps:
  - { id: ship, title: Ship, run: "true" }
rollback:
  triggers:
    - { id: down, title: Service down, alertmanager: { match: { alertname: ServiceDown } } }
    - { id: slow, title: Service slow, alertmanager: { match: { alertname: ServiceSlow } } }
  steps:
    - { id: undo, title: Undo, run: "true" }
escalation:
  levels:
    - { id: L1, notify: [ops], respond_within: 1h }
    - { id: L2, notify: [lead], respond_within: 1h }
`;

const HOUR = 3_600_000;
const suite = useEngineSuite();
let webhook: AlertWebhook | undefined;
afterEach(async () => {
  await webhook?.close();
  webhook = undefined;
});

async function start() {
  const h = await suite.start({ runbook: RUNBOOK });
  webhook = await serveAlertWebhook(h);
  return { h, post: webhook.post };
}

/** Waits for `id`'s thread to say which alert recovered, then gives the notes that told of paging stopped or resumed. */
async function pagingSaidToStop(h: Awaited<ReturnType<typeof start>>['h'], id: string) {
  const notes = await eventually(
    async () => incidentNotes(h, id),
    (n) => n.some((note) => note.includes('still firing')),
    20_000,
    `the note in ${id} of the alert that recovered`,
  );
  return notes.filter((n) => n.includes('Cleared') || n.includes('fired again'));
}

describe('one alert of a group recovering as another starts', () => {
  it('leaves the incident firing: not resolved, not cleared, and L2 not paged before L1’s hour is up', async () => {
    const { h, post } = await start();
    const opened = await post(alertPayload('ServiceDown', [{ name: 'ServiceDown', fingerprint: 'a1' }]));
    const id = opened.incidents[0] ?? '';
    expect(id).not.toBe('');

    const answer = await post(
      alertPayload('ServiceDown', [
        { name: 'ServiceDown', fingerprint: 'a1', status: 'resolved' },
        { name: 'ServiceDown', fingerprint: 'a2' },
      ]),
    );
    expect(answer.incidents).toEqual([]);
    expect(answer.resolved).toBeUndefined();
    const incident = await h.preflight.engine.incidents.get(id);
    expect(incident?.alerts).toEqual(['a2@2025-03-01T10:00:00Z']);
    expect(incident?.cleared).toBeUndefined();
    expect(incident?.pages.map((p) => p.levelId)).toEqual(['L1']);
    expect(incident?.next).toEqual({ level: 1, repeat: 0, after: HOUR });
    expect(await pagingSaidToStop(h, id)).toEqual([]);
    expect(await incidents(h)).toHaveLength(1);
  });
});

describe('alerts of two triggers in one group', () => {
  it('each count: the one left firing when the other recovers keeps the incident paging', async () => {
    const { h, post } = await start();
    const opened = await post(
      alertPayload('svc', [
        { name: 'ServiceDown', fingerprint: 'd1' },
        { name: 'ServiceSlow', fingerprint: 's1' },
      ]),
    );
    expect(opened.matched).toBe(2);
    const id = opened.incidents[0] ?? '';
    expect(opened.incidents).toEqual([id]);
    expect((await h.preflight.engine.incidents.get(id))?.alerts).toEqual([
      'd1@2025-03-01T10:00:00Z',
      's1@2025-03-01T10:00:00Z',
    ]);

    const answer = await post(
      alertPayload('svc', [
        { name: 'ServiceDown', fingerprint: 'd1', status: 'resolved' },
        { name: 'ServiceSlow', fingerprint: 's1' },
      ]),
    );
    expect(answer.incidents).toEqual([]);
    expect(answer.resolved).toBeUndefined();
    const incident = await h.preflight.engine.incidents.get(id);
    expect(incident?.alerts).toEqual(['s1@2025-03-01T10:00:00Z']);
    expect(incident?.cleared).toBeUndefined();
    expect(incident?.next).toEqual({ level: 1, repeat: 0, after: HOUR });
    expect(await pagingSaidToStop(h, id)).toEqual([]);
    expect(await incidents(h)).toHaveLength(1);
  });
});
