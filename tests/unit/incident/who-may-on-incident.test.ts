/** Who a stranger refused an incident action is told may do it instead. */
import { describe, expect, it } from 'vitest';
import { whoMayOnIncident } from '../../../src/core/access/authorize-incident-event.ts';
import { openIncident } from '../../../src/core/index.ts';
import { testRunbook } from '../../helpers/deployment-fixture.ts';

const runbook = testRunbook();
const opened = openIncident(
  { runbook, now: 0 },
  {
    id: 'INC-1',
    service: 'shop',
    environment: 'production',
    runbookDigest: 'd',
    origin: 'console',
    title: 'health failing',
    trigger: 'service-failure',
    openedBy: 'preflight',
    openedAt: 0,
  },
);
if (!opened.ok) throw opened.error;
const { incident } = opened;

describe('who may act on an incident instead', () => {
  it('names the ladder for an ack, the abort permission for an emergency, permissions.incident for a resolve', () => {
    const withStop = { ...runbook, emergency: { stop: { run: 'true' } } } as typeof runbook;
    expect(whoMayOnIncident(runbook, incident, { type: 'incident.ack' })).toMatch(
      /^only .+ may acknowledge INC-1 \(escalation\.levels\)$/,
    );
    expect(
      whoMayOnIncident(withStop, incident, { type: 'incident.emergency-request', which: 'stop' }),
    ).toMatch(/^only .+ may run an emergency command \(permissions\.abort\)$/);
    expect(whoMayOnIncident(runbook, incident, { type: 'incident.resolve' })).toMatch(
      /^only .+ may resolve an incident \(permissions\.incident\)$/,
    );
  });

  it('says an emergency command the runbook lacks is there for nobody, and who may roll back instead', () => {
    const withStop = { ...runbook, emergency: { stop: { run: 'true' } } } as typeof runbook;
    expect(
      whoMayOnIncident(withStop, incident, { type: 'incident.emergency-request', which: 'logs' }),
    ).toMatch(
      /^there is no emergency logs command \(emergency\.logs\), so nobody can run one; to undo the deployment instead, .+ may roll back with \/rollback \(permissions\.rollback\)$/,
    );
  });
});
