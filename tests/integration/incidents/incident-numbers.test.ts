/**
 * Incident numbers run without gaps on real Redis: an open that became a cause of the incident already open uses
 * up no number, so "INC-2" after "INC-1" means two incidents, not an alert sent five times.
 */
import { describe, expect, it } from 'vitest';
import { createKeySpace, openIncidentFor } from '../../../src/core/index.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';

const suite = useEngineSuite();

const RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true }, staging: {} }
channels: { deploy: "#deploy", incident: "#incident" }
people:
  ann: { name: Ann, slack: U1 }
groups: { ops: [ann] }
permissions: { deploy: [ops], rollback: [ops] }
parameters: { version: { pattern: 'v\\d+\\.\\d+\\.\\d+' } }
gates: { go: { approvers: [ops], allow_self: true } }
steps:
  - { id: ship, title: Ship, needs: [go], run: 'echo shipped' }
rollback:
  triggers: [{ id: declared, manual: true }]
  steps: [{ id: undo, title: Undo, run: 'echo undone' }]
escalation:
  levels:
    - { id: L1, notify: [ann], respond_within: 1m }
`;

describe('incident numbers', () => {
  it('five concurrent opens of one cause make INC-1, and the next incident is INC-2', async () => {
    const h = await suite.start({ runbook: RUNBOOK, work: false });
    const open = (environment: string) =>
      openIncidentFor(h.preflight.engine, {
        service: 'svc',
        environment,
        title: 'checkout answers 500',
        trigger: 'declared',
      });
    const raced = await Promise.all([1, 2, 3, 4, 5].map(() => open('production')));
    expect(raced.map((r) => r.ok && r.incident.id)).toEqual(['INC-1', 'INC-1', 'INC-1', 'INC-1', 'INC-1']);
    expect(raced.filter((r) => r.ok && !r.existing)).toHaveLength(1);
    const next = await open('staging');
    expect(next.ok && next.incident.id).toBe('INC-2');
    expect((await h.preflight.engine.incidents.list({ limit: 10 })).map((i) => i.id)).toEqual([
      'INC-2',
      'INC-1',
    ]);
  });

  it('two incidents of different causes opened at once get the next two numbers', async () => {
    const h = await suite.start({ runbook: RUNBOOK, work: false });
    const opened = await Promise.all(
      ['production', 'staging', 'production', 'staging'].map((environment) =>
        openIncidentFor(h.preflight.engine, {
          service: 'svc',
          environment,
          title: `${environment} answers 500`,
          trigger: 'declared',
        }),
      ),
    );
    expect(new Set(opened.map((r) => r.ok && r.incident.id))).toEqual(new Set(['INC-1', 'INC-2']));
  });

  it('still opens incidents when the stored sequence is behind them (a key lost in a restore)', async () => {
    const h = await suite.start({ runbook: RUNBOOK, work: false });
    const open = (environment: string) =>
      openIncidentFor(h.preflight.engine, {
        service: 'svc',
        environment,
        title: 'down',
        trigger: 'declared',
      });
    expect(await open('production')).toMatchObject({ ok: true, incident: { id: 'INC-1' } });
    await h.preflight.redis.del(createKeySpace(h.prefix).sequence('incident'));
    expect(await open('staging')).toMatchObject({ ok: true, incident: { id: 'INC-2' } });
  });
});
