/**
 * A health trigger on a Prometheus check: an answer Prometheus could not give (unknown) in the middle of a failure
 * neither passes the check nor restarts its count, as Prometheus keeps an alert's pending time through a failed
 * evaluation. A service down while its Prometheus stutters still fires once it has failed for failing_for.
 */
import { describe, expect, it } from 'vitest';
import { createKeySpace } from '../../../src/core/index.ts';
import type { Harness } from '../../helpers/engine-harness.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { useFakeMonitoring } from '../../helpers/fake-monitoring-suite.ts';
import {
  deployLive,
  eventually,
  incidentRunbook,
  incidents,
  triggerVerdict,
} from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const monitoring = useFakeMonitoring();

/** The `up` check as the health log holds it. */
const upEntry = async (h: Harness, id: string) => {
  const raw = await h.preflight.redis.hget(createKeySpace(h.prefix).health(id), 'up');
  return raw === null
    ? undefined
    : (JSON.parse(raw) as { passed: boolean; unknown?: boolean; since: number });
};
const failing = (e: Awaited<ReturnType<typeof upEntry>>) =>
  e !== undefined && !e.passed && e.unknown !== true;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a failing Prometheus check that is unknown for a while', () => {
  it('fires its trigger on the whole failure, the unknown answers not restarting the count', async () => {
    const fake = await monitoring.start({ up: '1', errors: '0.01' });
    const runbook = incidentRunbook(fake.url).replace(
      'health: [web], failing_for: 2s',
      'health: [up], failing_for: 6s',
    );
    const h = await suite.start({
      runbook,
      config: { PROMETHEUS_URL: fake.url, ALERTMANAGER_URL: fake.url },
    });
    const d = await deployLive(h, 'v1.0.0');

    fake.prometheus.set('up', '0');
    await eventually(async () => upEntry(h, d.id), failing, 20_000, 'up failing');
    await sleep(2_000);
    // Prometheus answers something that is not a number: the check is unknown, not passing.
    fake.prometheus.set('up', 'not-a-number');
    await eventually(
      async () => upEntry(h, d.id),
      (e) => e?.unknown === true,
      20_000,
      'up unknown',
    );
    await sleep(4_500);
    expect(await incidents(h)).toEqual([]);
    fake.prometheus.set('up', '0');
    const again = await eventually(async () => upEntry(h, d.id), failing, 20_000, 'up failing again');
    // One judgement of the trigger on the failure seen again, then the service recovers.
    await eventually(
      async () => triggerVerdict(h, d.id, 'web-down'),
      (v) => v !== undefined && v.at > (again?.since ?? 0),
      20_000,
      'a judgement of the trigger',
    );
    fake.prometheus.set('up', '1');
    const opened = await eventually(
      async () => incidents(h),
      (l) => l.length > 0,
      10_000,
      'the incident',
    );
    expect(opened[0]?.title).toMatch(/^\/health failing: up \(.*\) failing for \d+s/);
  });

  it('counts from the last pass: failing, passing once, failing again is not one long failure', async () => {
    const fake = await monitoring.start({ up: '1', errors: '0.01' });
    const runbook = incidentRunbook(fake.url).replace(
      'health: [web], failing_for: 2s',
      'health: [up], failing_for: 6s',
    );
    const h = await suite.start({
      runbook,
      config: { PROMETHEUS_URL: fake.url, ALERTMANAGER_URL: fake.url },
    });
    const d = await deployLive(h, 'v1.0.0');
    const verdict = () => triggerVerdict(h, d.id, 'web-down');

    fake.prometheus.set('up', '0');
    await eventually(async () => upEntry(h, d.id), failing, 20_000, 'up failing');
    await sleep(4_000);
    fake.prometheus.set('up', '1');
    await eventually(
      async () => upEntry(h, d.id),
      (e) => e?.passed === true,
      20_000,
      'up passing',
    );
    fake.prometheus.set('up', '0');
    const again = await eventually(async () => upEntry(h, d.id), failing, 20_000, 'up failing again');
    await sleep(3_000);
    // A judgement well past six seconds of failures in all, under six since the pass.
    const judged = await eventually(
      verdict,
      (v) => v !== undefined && v.at > (again?.since ?? 0) + 2_000,
      20_000,
      'a judgement of the second failure',
    );
    fake.prometheus.set('up', '1');
    expect(judged?.detail).toMatch(/failing, not yet for long/);
    expect(await incidents(h)).toEqual([]);
  });
});
