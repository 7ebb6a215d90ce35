import {
  type AuditEntry,
  createDeployment,
  type Deployment,
  type DeploymentEvent,
  type Effect,
  type Runbook,
  transition,
} from '../../src/core/index.ts';
import { parseInline } from './load-runbook.ts';

/** A small runbook exercising gates, timed steps, retries and rollback. */
export const TEST_RUNBOOK = `version: 1
service: shop
timezone: UTC
environments: { production: { default: true }, staging: {} }
channels: { deploy: "#deploy", incident: "#incident" }
people:
  ann: { name: Ann, slack: U1 }
  ben: { name: Ben, slack: U2 }
  cat: { name: Cat, slack: U3 }
  dan: { name: Dan, slack: U4 }
groups: { ops: [ann, ben, cat] }
permissions: { deploy: [ops], rollback: [ops] }
parameters: { version: { pattern: 'v\\d+\\.\\d+\\.\\d+' } }
gates:
  security: { approvers: [dan], expires: 1h, remind_every: 20m }
  operations: { approvers: [ops], required: 2 }
checklist:
  - { id: tick-me, title: Backup taken, owner: [ops] }
  - { id: auto, title: Disk free, run: "true" }
steps:
  - { id: migrate, title: Migrate, at: "+10s", needs: [security, operations], run: "true", on_failure: ask }
  - { id: deploy, title: Deploy, at: "+20s", run: "true", idempotent: true, retries: 1, backoff: 2s, on_failure: rollback }
  - { id: smoke, title: Smoke, run: "true", on_failure: stop }
rollback:
  steps:
    - { id: restore, title: Restore, run: "true" }
    - { id: db, title: Restore DB, run: "true", confirm: true }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }, { id: L2, notify: [ben], respond_within: 30m }] }
`;

export function testRunbook(text = TEST_RUNBOOK): Runbook {
  const result = parseInline(text);
  if (!result.runbook)
    throw new Error(result.errors.map((e) => `${e.line}:${e.col} ${e.message}`).join('\n'));
  return result.runbook;
}

/** Drives one deployment through events, keeping the effects of the last step. */
export class Driver {
  readonly runbook: Runbook;
  now: number;
  deployment: Deployment;
  effects: readonly Effect[] = [];
  audit: string[] = [];
  /** The audit records every event wrote, in order. */
  records: AuditEntry[] = [];
  /** The answer the last event gave its person. */
  reply: string | undefined;

  constructor(runbook: Runbook, now = Date.parse('2026-01-07T06:00:00Z'), requestedBy = 'ann') {
    this.runbook = runbook;
    this.now = now;
    const result = createDeployment(
      { runbook, now },
      { id: 'shop-1', version: 'v1.2.3', requestedBy, runbookDigest: 'digest' },
    );
    if (!result.ok) throw result.error;
    this.deployment = result.deployment;
    this.effects = result.effects;
    this.audit.push(...result.audit.map((a) => a.type));
  }

  /** Applies an event; throws the user error when refused. */
  apply(event: DeploymentEvent, advanceMs = 0): this {
    this.now += advanceMs;
    const result = transition({ runbook: this.runbook, now: this.now }, this.deployment, event);
    if (!result.ok) throw result.error;
    this.deployment = result.deployment;
    this.effects = result.effects;
    this.audit.push(...result.audit.map((a) => a.type));
    this.records.push(...result.audit);
    this.reply = result.reply;
    return this;
  }

  /** Applies an event expected to be refused; returns the error. */
  refused(event: DeploymentEvent): { code: string; message: string } {
    const result = transition({ runbook: this.runbook, now: this.now }, this.deployment, event);
    if (result.ok) throw new Error(`expected ${event.type} to be refused`);
    return { code: result.error.code, message: result.error.message };
  }

  step(id: string, phase: 'deploy' | 'rollback' = 'deploy') {
    const steps = phase === 'deploy' ? this.deployment.steps : (this.deployment.rollback?.steps ?? []);
    const found = steps.find((s) => s.id === id);
    if (!found) throw new Error(`no step ${id}`);
    return found;
  }

  /** Runs the waiting step to an outcome, as a worker would. */
  run(
    id: string,
    outcome: 'succeeded' | 'failed' | 'timed_out' = 'succeeded',
    phase: 'deploy' | 'rollback' = 'deploy',
  ): this {
    const runId = `job-${id}-${this.step(id, phase).attempt}`;
    this.apply({ type: 'step.start', phase, step: id, runId });
    return this.apply({
      type: 'step.finish',
      phase,
      step: id,
      runId,
      outcome,
      exitCode: outcome === 'succeeded' ? 0 : 1,
      durationMs: 100,
      outputTail: '',
    });
  }

  /** Passes the checklist and both gates. */
  approveAll(): this {
    this.apply({ type: 'checklist.result', item: 'auto', passed: true, detail: 'exit 0' });
    this.apply({ type: 'checklist.tick', item: 'tick-me', by: 'ben', onMessage: 'item:tick-me' });
    this.apply({ type: 'gate.approve', gate: 'security', by: 'dan', onMessage: 'gate:security' });
    this.apply({ type: 'gate.approve', gate: 'operations', by: 'ben', onMessage: 'gate:operations' });
    return this.apply({ type: 'gate.approve', gate: 'operations', by: 'cat', onMessage: 'gate:operations' });
  }

  effectTypes(): string[] {
    return this.effects.map((e) =>
      e.type === 'post' || e.type === 'refresh' ? `${e.type}:${e.topic.kind}` : e.type,
    );
  }
}
