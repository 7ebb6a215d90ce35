/**
 * An alert's first report and its 'resolved' arriving together: the 'resolved' is handled while the firing is on
 * its way to opening an incident (after it found the alert not reported before, before its incident is written).
 * A resolved alert never opens an incident nor pages, whichever path reported it firing: the Alertmanager poll (its
 * API lagging the webhook) or the webhook itself; and never joins an open incident as a cause that keeps firing.
 * Two webhook groups sharing an alert at once: the one that joins the incident the other opened adds only its
 * alert not counted yet.
 */
import { describe, expect, it } from 'vitest';
import type { IncidentCommit } from '../../../src/core/index.ts';
import { alertPayload } from '../../helpers/alert-webhook.ts';
import { useAlertWorld } from '../../helpers/alert-world.ts';
import type { Harness } from '../../helpers/engine-harness.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { alertPolls, eventually, incidentNotes, incidents } from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const world = useAlertWorld(suite);

/** The alert the fake Alertmanager's API lists as f0 (to the millisecond), as the webhook names it (to the ns). */
const F0 = { name: 'ServiceDown', fingerprint: 'f0', startsAt: '2025-03-01T10:00:12.345678901Z' };
/** The alerts an incident counts: those it opened with and those of its causes. */
const counted = (i: IncidentCommit['after'] | undefined) => [
  ...(i?.alerts ?? []),
  ...(i?.causes ?? []).flatMap((c) => c.alerts ?? []),
];

/**
 * Runs `meanwhile` once, just before the first incident write that counts an alert (whatever wrote it), so it lands
 * between that path's look at the alert and its write. Resolves when `meanwhile` has run.
 */
function beforeFirstAlertWrite(h: Harness, meanwhile: () => Promise<void>): Promise<void> {
  const store = h.preflight.engine.incidents;
  const commit = store.commit.bind(store);
  let armed = true;
  return new Promise<void>((ran) => {
    store.commit = async (c) => {
      const known = counted(c.before);
      if (armed && counted(c.after).some((a) => !known.includes(a))) {
        armed = false;
        await meanwhile();
        ran();
      }
      return commit(c);
    };
  });
}

/** Pages of every incident, and the L1 mentions posted. */
async function paged(h: Harness) {
  return {
    pages: (await incidents(h)).flatMap((i) => i.pages.map((p) => `${i.id} ${p.levelId}`)),
    open: (await incidents(h)).filter((i) => i.state === 'open' && i.next !== undefined).map((i) => i.id),
  };
}

describe("an alert's firing and its 'resolved' at once", () => {
  it('the poll sees it firing while the webhook says resolved: no incident, no page', async () => {
    const { h, fake, post } = await world.live({ alertmanager: true });
    let answer: unknown;
    const raced = beforeFirstAlertWrite(h, async () => {
      fake.alerts = [];
      answer = await post(alertPayload('ServiceDown', [{ ...F0, status: 'resolved' }]));
    });
    fake.alerts = [
      { alertname: 'ServiceDown', severity: 'critical', service: 'svc', instance: 'svc-0:8080' },
    ];
    await raced;
    expect(answer).toMatchObject({ incidents: [] });
    await alertPolls(fake, 3);
    expect(await paged(h)).toEqual({ pages: [], open: [] });
    expect(await incidents(h)).toEqual([]);
  }, 60_000);

  it('two webhooks, firing then resolved: no incident, no page', async () => {
    const { h, post } = await world.live({ alertmanager: false });
    const raced = beforeFirstAlertWrite(h, async () => {
      await post(alertPayload('ServiceDown', [{ ...F0, status: 'resolved' }]));
    });
    const firing = await post(alertPayload('ServiceDown', [F0]));
    await raced;
    expect(firing.incidents).toEqual([]);
    expect(await paged(h)).toEqual({ pages: [], open: [] });
    // The same firing delivered after its 'resolved' fires again (Alertmanager re-sends an alert still active).
    const [again = ''] = (await post(alertPayload('ServiceDown', [F0]))).incidents;
    expect(again).not.toBe('');
    expect((await incidents(h)).map((i) => i.id)).toEqual([again]);
  }, 60_000);

  it('an alert resolved while joining an open incident is not a cause of it, and its other alert still clears it', async () => {
    const { h, post } = await world.live({ alertmanager: false });
    const disk = { name: 'DiskFull', fingerprint: 'd1' };
    const [id = ''] = (await post(alertPayload('DiskFull', [disk]))).incidents;
    expect(id).not.toBe('');
    const raced = beforeFirstAlertWrite(h, async () => {
      await post(alertPayload('ServiceDown', [{ ...F0, status: 'resolved' }]));
    });
    expect((await post(alertPayload('ServiceDown', [F0]))).incidents).toEqual([]);
    await raced;
    const incident = await h.preflight.engine.incidents.get(id);
    expect(incident?.alerts).toEqual(['d1@2025-03-01T10:00:00Z']);
    expect(incident?.causes ?? []).toEqual([]);
    expect(incidentNotes(h, id).filter((n) => n.startsWith('➕'))).toEqual([]);
    // DiskFull resolving is all of the incident's alerts resolved: paging stops.
    expect((await post(alertPayload('DiskFull', [{ ...disk, status: 'resolved' }]))).resolved).toEqual([id]);
    const cleared = await eventually(
      () => h.preflight.engine.incidents.get(id),
      (i) => i?.cleared !== undefined,
      10_000,
      'the incident cleared',
    );
    expect(cleared?.next).toBeUndefined();
  }, 60_000);

  it('two groups sharing an alert at once: the cause added lists only the alert the incident did not count', async () => {
    const { h, post } = await world.live({ alertmanager: false });
    const shared = { name: 'ServiceDown', fingerprint: 'f00d' };
    const other = { name: 'ServiceDown', fingerprint: 'beef' };
    // Group B has looked at both its alerts (neither reported) when group A, with the shared one alone, opens the
    // incident: B's then joins it.
    let first: Awaited<ReturnType<typeof post>> | undefined;
    const raced = beforeFirstAlertWrite(h, async () => {
      first = await post(alertPayload('ByInstance', [shared]));
    });
    const second = await post(alertPayload('ServiceDown', [shared, other]));
    await raced;
    const [id = ''] = [...(first?.incidents ?? []), ...second.incidents];
    expect(id).not.toBe('');
    expect(await incidents(h)).toHaveLength(1);
    const incident = await h.preflight.engine.incidents.get(id);
    expect(incident?.alerts).toEqual(['f00d@2025-03-01T10:00:00Z', 'beef@2025-03-01T10:00:00Z']);
    expect(incident?.causes?.map((c) => c.alerts)).toEqual([['beef@2025-03-01T10:00:00Z']]);
  }, 60_000);
});
