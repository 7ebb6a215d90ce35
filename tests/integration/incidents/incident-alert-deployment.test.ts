/**
 * Which deployment an Alertmanager webhook's incident is about: the latest one of its service and environment
 * that changed something (started a step). A deployment still running its checklist or waiting for approvals has
 * deployed nothing, so the alert is not "after" it and its thread offers no rollback of it.
 */
import { describe, expect, it } from 'vitest';
import { alertPayload } from '../../helpers/alert-webhook.ts';
import { useAlertWorld } from '../../helpers/alert-world.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { incidents } from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const world = useAlertWorld(suite);

describe('an alert while the next deployment waits for its approvals', () => {
  it('is about the deployment that went live, not the one that has deployed nothing yet', async () => {
    const { h, d, post } = await world.live();
    const next = await h.start('v1.1.0', 'ann');
    if (!next.ok) throw next.error;
    await h.waitFor(next.deployment.id, (x) => x.state === 'awaiting_gates');

    const answer = await post(alertPayload('ServiceDown', [{ name: 'ServiceDown', fingerprint: 'f0' }]));
    expect(answer.incidents).toHaveLength(1);
    const [incident] = await incidents(h);
    expect(incident?.deploymentId).toBe(d.id);
    expect(incident?.title).toContain(`after ${d.id} (v1.0.0)`);
    expect((await h.get(next.deployment.id)).state).toBe('awaiting_gates');
  }, 60_000);
});
