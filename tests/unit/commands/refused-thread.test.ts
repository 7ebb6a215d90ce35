/**
 * The answer to /deploy start when the deploy channel refused the thread says what the deployment does meanwhile:
 * it waits for the people its runbook asks first, or, when the runbook asks nobody, its steps run unseen.
 */
import { describe, expect, it } from 'vitest';
import { deploymentThreadRefused } from '../../../src/commands/refused-thread.ts';
import type { Deployment, Runbook } from '../../../src/core/index.ts';
import { parseInline } from '../../helpers/load-runbook.ts';

const runbook = (extra: string): Runbook => {
  const result = parseInline(`version: 1
service: svc
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people: { ann: { name: Ann, slack: U0ANN0001 } }
permissions: { deploy: [ann], rollback: [ann], incident: [ann] }
${extra}
steps:
  - { id: ship, title: Ship, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`);
  const runbook = result.runbook;
  if (!runbook) throw new Error(result.errors.map((e) => e.message).join('; '));
  return runbook;
};
const d = { id: 'svc-1', service: 'svc' } as Deployment;

describe('the answer when the deploy channel refused the thread', () => {
  it('a runbook with a gate: the deployment waits for its people', () => {
    const text = deploymentThreadRefused(
      'Starting svc-1.',
      d,
      runbook('gates: { go: { title: Go, approvers: [ann] } }'),
    );
    expect(text).toContain('svc-1 has started and waits for its people');
    expect(text).not.toContain('its steps run at their times');
  });

  it('a runbook with a ticked checklist item: the deployment waits for its people', () => {
    const text = deploymentThreadRefused(
      'Starting svc-1.',
      d,
      runbook('checklist: [{ id: notes, title: Notes, owner: [ann] }]'),
    );
    expect(text).toContain('waits for its people');
  });

  it('a runbook that asks nobody: its steps run, unseen, and the answer says so', () => {
    const text = deploymentThreadRefused(
      'Starting svc-1.',
      d,
      runbook('checklist: [{ id: auto, title: Auto, run: "true" }]'),
    );
    expect(text).toContain(
      'svc-1 has started and its steps run at their times (its runbook asks nobody first)',
    );
    expect(text).not.toContain('waits');
    expect(text).toContain('`/deploy abort svc-1`');
  });
});
