/** Accumulates one transition's result: the new deployment, its effects, audit records and reply. */
import { plainLiterals } from '../chat/outside-text.ts';
import type { UserError } from '../errors.ts';
import type { Runbook } from '../runbook/schema.ts';
import {
  type ChecklistRun,
  type Deployment,
  type GateRun,
  isFinal,
  type Phase,
  type StepRun,
} from './deployment.ts';
import type { AuditEntry, Effect, MessageTopic } from './effects.ts';
import type { StepStartOffer } from './events.ts';

export interface TransitionContext {
  /** The runbook the deployment was started with. */
  readonly runbook: Runbook;
  readonly now: number;
  /** A person's action may start the step it makes due in its own commit (`StepStartOffer`). */
  readonly startOffer?: StepStartOffer;
  /** An emergency stop already under way on the deployment's service and environment: who asked, where it goes. */
  readonly stopUnderWay?: string;
}

/** `hold`: a rollback ended; the lock stays, as a rollback hold, until someone unlocks it with a reason. */
export type LockChange = 'acquire' | 'release' | 'hold';

export type TransitionResult =
  | {
      readonly ok: true;
      readonly deployment: Deployment;
      readonly effects: readonly Effect[];
      readonly audit: readonly AuditEntry[];
      readonly lock?: LockChange;
      /** A short confirmation for the person who caused the event. */
      readonly reply?: string;
      /** False when the event changed nothing (a repeat); the store then writes nothing. */
      readonly changed: boolean;
    }
  | { readonly ok: false; readonly error: UserError };

/** A transition in progress. Pure: it only builds values. */
export class Change {
  readonly ctx: TransitionContext;
  deployment: Deployment;
  readonly effects: Effect[] = [];
  readonly audit: AuditEntry[] = [];
  lock: LockChange | undefined;
  reply: string | undefined;
  changed = false;
  /** The deployment as it was before this change. */
  readonly before: Deployment;

  constructor(ctx: TransitionContext, deployment: Deployment) {
    this.ctx = ctx;
    this.deployment = deployment;
    this.before = deployment;
  }

  get now(): number {
    return this.ctx.now;
  }

  get runbook(): Runbook {
    return this.ctx.runbook;
  }

  set(patch: Partial<Deployment>): void {
    this.deployment = { ...this.deployment, ...patch };
    this.changed = true;
  }

  /** Removes optional fields (exactOptionalPropertyTypes forbids setting them to undefined). */
  unset(
    ...keys: readonly (
      | 'decision'
      | 'rollback'
      | 'outcome'
      | 'finishedAt'
      | 'pausedAt'
      | 'authorizedAt'
      | 'heldReport'
    )[]
  ): void {
    const next: Record<string, unknown> = { ...this.deployment };
    for (const key of keys) delete next[key];
    this.deployment = next as unknown as Deployment;
    this.changed = true;
  }

  updateStep(phase: Phase, id: string, patch: Partial<StepRun>): void {
    const apply = (steps: readonly StepRun[]): StepRun[] =>
      steps.map((s) => (s.id === id ? { ...s, ...patch } : s));
    if (phase === 'deploy') this.set({ steps: apply(this.deployment.steps) });
    else if (this.deployment.rollback)
      this.set({ rollback: { ...this.deployment.rollback, steps: apply(this.deployment.rollback.steps) } });
  }

  updateGate(id: string, patch: Partial<GateRun>): void {
    this.set({ gates: this.deployment.gates.map((g) => (g.id === id ? { ...g, ...patch } : g)) });
  }

  /** Patches a checklist item; `without` names the fields it no longer has (unless the patch sets them again). */
  updateChecklist(
    id: string,
    patch: Partial<ChecklistRun>,
    without: readonly (keyof ChecklistRun)[] = [],
  ): void {
    const apply = (c: ChecklistRun): ChecklistRun => {
      const kept: Record<string, unknown> = { ...c };
      for (const field of without) delete kept[field];
      return { ...(kept as unknown as ChecklistRun), ...patch };
    };
    this.set({ checklist: this.deployment.checklist.map((c) => (c.id === id ? apply(c) : c)) });
  }

  emit(effect: Effect): void {
    this.effects.push(effect);
  }

  post(topic: MessageTopic): void {
    this.effects.push({ type: 'post', topic });
  }

  refresh(topic: MessageTopic): void {
    this.effects.push({ type: 'refresh', topic });
  }

  note(key: string, text: string): void {
    this.post({ kind: 'note', key, text });
  }

  /** An audit record: plain text, without the literal spans chat text marks outside words with. */
  record(type: string, actor: string, detail: Record<string, unknown> = {}): void {
    const plain = Object.entries(detail).map(([k, v]) => [k, typeof v === 'string' ? plainLiterals(v) : v]);
    this.audit.push({ type, actor, detail: Object.fromEntries(plain) });
  }

  /**
   * The messages that follow the whole deployment: the status message on every change; the rollback message while
   * its steps run; and gate, checklist and monitoring task prompts still open when the deployment ends or rolls
   * back, so none keeps asking.
   */
  private refreshFollowers(after: Deployment): void {
    const refreshes = (kind: MessageTopic['kind']) =>
      this.effects.some((e) => e.type === 'refresh' && e.topic.kind === kind);
    if (!refreshes('status')) this.effects.push({ type: 'refresh', topic: { kind: 'status' } });
    const rollback = after.rollback;
    if (rollback?.started && !refreshes('rollback'))
      this.effects.push({ type: 'refresh', topic: { kind: 'rollback', at: rollback.at } });
    const ended = (d: Deployment) => isFinal(d) || d.state === 'rolling_back';
    if (ended(after) && !ended(this.before)) {
      for (const gate of after.gates)
        if (gate.status === 'pending' && gate.requestedAt !== undefined)
          this.effects.push({ type: 'refresh', topic: { kind: 'gate', gate: gate.id } });
      // Manual items still waiting for their ✅ (each has its message) and a checklist left unfinished.
      const open = after.checklist.filter((c) => c.status === 'pending' || c.status === 'running');
      for (const item of open)
        if (item.status === 'pending')
          this.effects.push({ type: 'refresh', topic: { kind: 'checklist-item', item: item.id } });
      if (open.length > 0 && !refreshes('checklist'))
        this.effects.push({ type: 'refresh', topic: { kind: 'checklist' } });
      // Monitoring tasks not done, unless it succeeded (they may still be ticked); one never posted is not edited.
      const watched = this.before.state === 'monitoring' || this.before.state === 'needs_decision';
      if (watched && after.state !== 'succeeded')
        for (const [window, period] of (this.runbook.monitoring ?? []).entries())
          for (const index of (period.tasks ?? []).keys())
            if (!after.tasksDone?.some((t) => t.window === window && t.index === index))
              this.effects.push({ type: 'refresh', topic: { kind: 'task', window, index } });
    }
  }

  result(): TransitionResult {
    const changed = this.changed || this.effects.length > 0 || this.audit.length > 0;
    const deployment = changed
      ? { ...this.deployment, revision: this.deployment.revision + 1 }
      : this.deployment;
    if (changed) this.refreshFollowers(deployment);
    return {
      ok: true,
      deployment,
      effects: this.effects,
      audit: this.audit,
      changed,
      ...(this.lock !== undefined && { lock: this.lock }),
      ...(this.reply !== undefined && { reply: this.reply }),
    };
  }
}

/** A refused transition. */
export function refuse(error: UserError): TransitionResult {
  return { ok: false, error };
}
