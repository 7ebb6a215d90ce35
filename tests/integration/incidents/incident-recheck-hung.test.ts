/**
 * The re-check before each escalation page, on a health check whose endpoint hangs (takes the request, never
 * answers): the next level is paged, not held back until the check's timeout, and the hung endpoint is not sent
 * one more request per page while the first one it holds is still open.
 */
import { describe, expect, it } from 'vitest';
import { useAlertWorld } from '../../helpers/alert-world.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { eventually, firstHealthTick, hangHealth, incidents } from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const world = useAlertWorld(suite);

describe('the re-check before a page, on a check that hangs', () => {
  it('pages the next level and its repeats, and asks the hung endpoint no more', async () => {
    // GET /health may take 10 min to answer; L1 has 3 s, then L2 is paged and paged again every 2 s.
    const { h, d, fake } = await world.live({
      runbook: { monitoringTo: '2h', successAt: '1h', webTimeout: '10m' },
    });
    await firstHealthTick(h, d.id, 'web');
    fake.health = 500;
    const [opened] = await eventually(
      () => incidents(h),
      (l) => l.length === 1,
      20_000,
      'the incident of /health failing',
    );
    expect(opened?.trigger).toBe('web-down');
    // The service now takes requests and never answers them.
    await hangHealth(fake);
    const paged = await eventually(
      async () => (await h.preflight.engine.incidents.get(opened?.id ?? ''))?.pages ?? [],
      (pages) => pages.filter((p) => p.level === 1).length >= 3,
      30_000,
      'L2 paged, and paged again, while /health hangs',
    );
    expect(paged.map((p) => p.level)).toContain(0);
    const audit = await h.preflight.engine.incidents.audit(opened?.id ?? '');
    const rechecks = audit
      .filter((e) => e.type === 'incident.paged' && (e.detail as { level?: string }).level === 'L2')
      .map((e) => String((e.detail as { recheck?: string }).recheck));
    expect(
      rechecks.some((r) => /web-down: firing, web \(.*as last seen, no answer within 2s\) failing/.test(r)),
    ).toBe(true);
    // Every re-check waited on the request /health already holds: none sent it another.
    expect(fake.healthHeld).toBe(1);
  });
});
