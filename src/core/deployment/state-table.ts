/** The deployment state machine as a table: which events each state accepts. */
import type { DeploymentState } from './deployment.ts';
import type { DeploymentEventType } from './events.ts';

const CONTROL: readonly DeploymentEventType[] = ['abort', 'pause', 'resume'];
const STEP_EVENTS: readonly DeploymentEventType[] = ['step.start', 'step.finish', 'step.interrupt'];
const GATE_EVENTS: readonly DeploymentEventType[] = [
  'gate.approve',
  'gate.withdraw',
  'gate.reject',
  'gate.reason',
  'gate.expire',
  'gate.remind',
];

/** Events accepted in each state; anything else is refused with a WRONG_STATE error. */
export const ACCEPTS: Readonly<Record<DeploymentState, readonly DeploymentEventType[]>> = {
  checklist: ['checklist.result', 'checklist.tick', 'checklist.untick', ...CONTROL],
  awaiting_gates: [...GATE_EVENTS, ...STEP_EVENTS, 'rollback.request', ...CONTROL],
  scheduled: [...GATE_EVENTS, ...STEP_EVENTS, 'rollback.request', ...CONTROL],
  running: [...GATE_EVENTS, ...STEP_EVENTS, 'rollback.request', ...CONTROL],
  verifying: ['verify.result', 'step.finish', 'rollback.request', 'abort'],
  monitoring: [
    'monitoring.complete',
    'rollback.request',
    'step.finish',
    'abort',
    'success.result',
    'task.tick',
    'task.untick',
  ],
  needs_decision: ['decide', 'rollback.request', 'step.finish', 'gate.reason', ...CONTROL],
  rolling_back: [...STEP_EVENTS, 'rollback.approve', 'rollback.withdraw', 'abort'],
  succeeded: ['rollback.request', 'step.finish', 'gate.reason', 'success.result', 'task.tick', 'task.untick'],
  // A gate rejected or expired while a step runs fails the deployment: that step's end is still recorded.
  failed: ['rollback.request', 'step.finish', 'step.interrupt', 'gate.reason'],
  aborted: ['rollback.request', 'step.finish', 'step.interrupt'],
  rolled_back: ['step.finish'],
  rollback_failed: ['rollback.request', 'step.finish'],
};

/** True when `state` accepts events of `type`. */
export function accepts(state: DeploymentState, type: DeploymentEventType): boolean {
  return ACCEPTS[state].includes(type);
}
