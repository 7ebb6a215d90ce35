/** Turns committed effects into jobs, cancellations and chat deliveries. Every delivery is idempotent. */
import type { Queue } from 'bullmq';
import {
  type Effect,
  type EngineDeps,
  endSupersededMonitoring,
  type Notifier,
  tellIncidentOfRollback,
} from '../core/index.ts';
import { type CheckJob, jobId, type StepJob, type TimerJob } from './job-types.ts';
import { hasJudgedTriggers, triggerCadence } from './processors/trigger-cadence.ts';
import type { StepCancellation } from './step-cancellation.ts';

export interface EffectQueues {
  readonly steps: Queue<StepJob>;
  readonly checks: Queue<CheckJob>;
  readonly timers: Queue<TimerJob>;
}

export interface EffectDeliveryDeps {
  readonly queues: EffectQueues;
  readonly cancellation: StepCancellation;
  readonly notifier: Notifier;
  readonly engine: EngineDeps;
}

/** Delivers the effects of one commit (deployment `id` at `revision`). */
export type DeliverEffects = (id: string, revision: number, effects: readonly Effect[]) => Promise<void>;

async function startMonitoring(deps: EffectDeliveryDeps, id: string, since: number): Promise<void> {
  const deployment = await deps.engine.store.get(id);
  if (!deployment) return;
  const runbook = await deps.engine.runbooks.pinned(deployment.runbookDigest);
  const now = deps.engine.clock.now();
  const windows = runbook.monitoring ?? [];
  for (const [index, window] of windows.entries()) {
    if (!window.every || !window.checks?.length || since + window.to <= now) continue;
    await deps.queues.checks.upsertJobScheduler(
      jobId('mon', id, index),
      { every: window.every, startDate: Math.max(now, since + window.from), endDate: since + window.to },
      { name: 'monitoring.tick', data: { kind: 'monitor', deploymentId: id, window: index } },
    );
  }
  for (const [index, window] of windows.entries()) {
    if (!window.tasks?.length) continue;
    for (const [phase, at] of [
      ['post', since + window.from],
      ['remind', since + window.to],
    ] as const) {
      await deps.queues.checks.add(
        'monitoring.tasks',
        { kind: 'tasks', deploymentId: id, window: index, phase },
        { jobId: jobId('task', id, index, phase), delay: Math.max(0, at - now) },
      );
    }
  }
  const end = Math.max(0, ...windows.map((w) => w.to));
  if (hasJudgedTriggers(runbook) && since + end > now) {
    await deps.queues.checks.upsertJobScheduler(
      jobId('trig', id),
      { every: triggerCadence(runbook), startDate: now, endDate: since + end },
      { name: 'triggers.tick', data: { kind: 'triggers', deploymentId: id } },
    );
  }
  for (const criterion of runbook.success ?? []) {
    await deps.queues.checks.add(
      'success.evaluate',
      { kind: 'success', deploymentId: id, criterion: criterion.id },
      { jobId: jobId('ok', id, criterion.id), delay: Math.max(0, since + criterion.at - now) },
    );
  }
  await deps.queues.timers.add(
    'monitoring.complete',
    { kind: 'monitoring.complete', deploymentId: id },
    { jobId: jobId('mdone', id), delay: Math.max(0, since + end - now) },
  );
}

/** The job that runs a step; its id names the commit that asked for it, so adding it twice adds it once. */
export async function addStepJob(
  steps: Queue<StepJob>,
  id: string,
  revision: number,
  effect: Extract<Effect, { type: 'run-step' }>,
  now: number,
): Promise<void> {
  await steps.add(
    'step.run',
    { deploymentId: id, phase: effect.phase, step: effect.step, attempt: effect.attempt },
    {
      // A started step's guard is its run's owner: its id is the run id (step-run.ts finds it running under it).
      jobId: effect.runId ?? jobId('st', id, effect.phase, effect.step, effect.attempt, `r${revision}`),
      delay: Math.max(0, effect.at - now),
    },
  );
}

type ChatEffect = Extract<Effect, { type: 'post' | 'refresh' }>;

function isChat(effect: Effect | undefined): effect is ChatEffect {
  return effect?.type === 'post' || effect?.type === 'refresh';
}

/** The chat effects from `start` on, up to the first that is not one. */
function chatRun(effects: readonly Effect[], start: number): ChatEffect[] {
  const run: ChatEffect[] = [];
  for (let i = start; isChat(effects[i]); i++) run.push(effects[i] as ChatEffect);
  return run;
}

/** Creates the delivery function used by the outbox relay. */
export function createEffectDelivery(deps: EffectDeliveryDeps): DeliverEffects {
  const { queues } = deps;
  return async (id, revision, effects) => {
    const now = deps.engine.clock.now();
    for (const [index, effect] of effects.entries()) {
      switch (effect.type) {
        case 'post':
        case 'refresh': {
          // Chat effects that follow each other (a step's result and the status edit) are queued together.
          if (index > 0 && isChat(effects[index - 1])) break;
          const run = chatRun(effects, index);
          if (run.length > 1 && deps.notifier.deliverAll) await deps.notifier.deliverAll(id, run);
          else for (const chat of run) await deps.notifier.deliver(id, chat);
          break;
        }
        case 'run-step':
          await addStepJob(queues.steps, id, revision, effect, now);
          break;
        case 'run-checklist':
          await queues.checks.add(
            'checklist.run',
            { kind: 'checklist', deploymentId: id, item: effect.item },
            { jobId: jobId('cl', id, effect.item, `r${revision}`) },
          );
          break;
        case 'verify':
          await queues.checks.add(
            'deployment.verify',
            { kind: 'verify', deploymentId: id },
            { jobId: jobId('vf', id, `r${revision}`) },
          );
          break;
        case 'emergency-stop':
          await queues.checks.add(
            'emergency.run',
            { kind: 'emergency', deploymentId: id, by: effect.by },
            { jobId: jobId('em', id, `r${revision}`) },
          );
          break;
        case 'capture-baseline':
          await queues.checks.add(
            'baseline.capture',
            { kind: 'baseline', deploymentId: id },
            { jobId: jobId('bl', id) },
          );
          break;
        case 'cancel-steps':
          await deps.cancellation.cancel(id, effect.reason, revision);
          break;
        case 'timer': {
          const t = effect.timer;
          await queues.timers.add(
            t.kind,
            { kind: 'timer', deploymentId: id, timer: t },
            {
              jobId: jobId(
                'tm',
                id,
                t.kind,
                t.gate,
                'count' in t ? t.count : 0,
                ...(t.since === undefined ? [] : [t.since]),
              ),
              delay: Math.max(0, effect.at - now),
            },
          );
          break;
        }
        case 'note-incident': {
          const open = await deps.engine.incidents.openFor(id);
          if (!open) break;
          const note = { kind: 'note' as const, key: effect.key, text: effect.text };
          await deps.notifier.deliverIncident(open.id, { type: 'post', topic: note });
          await deps.notifier.deliverIncident(open.id, { type: 'refresh', topic: { kind: 'incident' } });
          break;
        }
        case 'tell-incident':
          await tellIncidentOfRollback(deps.engine, id, { state: effect.state, outcome: effect.outcome });
          break;
        case 'monitor': {
          await startMonitoring(deps, id, effect.since);
          const live = await deps.engine.store.get(id);
          if (live) await endSupersededMonitoring(deps.engine, live);
          break;
        }
      }
    }
  };
}
