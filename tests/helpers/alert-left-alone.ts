/** What a watched deployment shows when the alerts that fire are not its own. */
import { expect } from 'vitest';
import type { Harness } from './engine-harness.ts';
import type { FakeMonitoring } from './fake-monitoring.ts';
import { alertPolls, deploymentNotes, incidents } from './incident-world.ts';

/**
 * After six Alertmanager polls: no incident, no page, and deployment `id` passed its verification and says all is
 * well in its latest health line.
 */
export async function expectLeftAlone(h: Harness, fake: FakeMonitoring, id: string): Promise<void> {
  await alertPolls(fake, 6);
  expect(await incidents(h)).toEqual([]);
  expect(fake.pagerduty.received).toEqual([]);
  expect((await h.get(id)).verification).toMatchObject({
    passed: true,
    detail: 'web ok; up ok; alerts ok',
  });
  const health = deploymentNotes(h, id, 'health:').map((n) => n.effect.topic);
  expect(health.at(-1)).toMatchObject({ text: expect.stringContaining('web ok; up ok; alerts ok') });
}
