/**
 * An alert that resolves and fires again while its incident is open (flapping) does not skip a level: paging goes
 * on where the ladder stopped, L2 due when it was due, so L1 keeps the rest of its time.
 */
import { describe, expect, it } from 'vitest';
import { alertPayload } from '../../helpers/alert-webhook.ts';
import { useAlertWorld } from '../../helpers/alert-world.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { eventually, incidentNotes } from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const world = useAlertWorld(suite);

describe('an alert that resolves and fires again', () => {
  it('goes on with the page that was due: L2 is not paged at once', async () => {
    // L1 has an hour to answer; Alertmanager is not asked again, so only the webhook clears and re-fires.
    const { h, post } = await world.live({ alertmanager: false, runbook: { l1Within: '1h' } });
    const firing = alertPayload('ServiceDown', [{ name: 'ServiceDown', fingerprint: 'a1' }]);
    const id = (await post(firing)).incidents[0] ?? '';
    expect(id).not.toBe('');
    const opened = await h.preflight.engine.incidents.get(id);
    expect(opened?.next).toEqual({ level: 1, after: 3_600_000, repeat: 0 });

    const resolved = alertPayload('ServiceDown', [
      { name: 'ServiceDown', fingerprint: 'a1', status: 'resolved' },
    ]);
    expect((await post(resolved)).resolved).toEqual([id]);
    const again = alertPayload('ServiceDown', [
      { name: 'ServiceDown', fingerprint: 'a1', startsAt: '2025-03-01T11:00:00Z' },
    ]);
    expect((await post(again)).incidents).toEqual([]);

    const refired = await h.preflight.engine.incidents.get(id);
    expect(refired?.cleared).toBeUndefined();
    expect(refired?.next).toEqual({ level: 1, after: 3_600_000, repeat: 0 });
    const note = await eventually(
      async () => incidentNotes(h, id).find((n) => n.includes('fired again')),
      (n) => n !== undefined,
      10_000,
      'the note that it fired again',
    );
    expect(note).toMatch(/Paging resumes where it stopped: L2 is paged in [\dhms]+ unless someone answers/);
    expect((await h.preflight.engine.incidents.get(id))?.pages.map((p) => p.levelId)).toEqual(['L1']);
  });
});
