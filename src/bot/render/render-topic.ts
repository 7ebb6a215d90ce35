/** Renders any deployment topic from the deployment's current state. */
import type { ChatMessage, MessageTopic } from '../../core/index.ts';
import type { RenderContext } from './format.ts';
import { renderChecklist, renderChecklistItem } from './render-checklist.ts';
import { renderAuthorization, renderGate, renderRejection } from './render-gates.ts';
import { renderReport } from './render-report.ts';
import { renderRollback } from './render-rollback.ts';
import { renderStatus } from './render-status.ts';
import { renderDecision, renderStep, renderVerification } from './render-steps.ts';
import { renderTask } from './render-task.ts';

/** The message for a topic, as the deployment stands now. */
export function renderTopic(ctx: RenderContext, topic: MessageTopic): ChatMessage {
  switch (topic.kind) {
    case 'status':
      return renderStatus(ctx);
    case 'checklist':
      return renderChecklist(ctx);
    case 'checklist-item':
      return renderChecklistItem(ctx, topic.item);
    case 'gate':
      return renderGate(ctx, topic.gate);
    case 'gate-reminder':
      return { text: `⏰ Reminder ${topic.count}: the ${topic.gate} gate is waiting.` };
    case 'authorization':
      return renderAuthorization(ctx, topic.at);
    case 'step':
      return renderStep(ctx, topic.phase, topic.step, topic.attempt, topic.result);
    case 'decision':
      return renderDecision(ctx);
    case 'verification':
      return renderVerification(ctx);
    case 'rollback':
      return renderRollback(ctx);
    case 'report':
      return renderReport(ctx, topic.state, topic);
    case 'task':
      return renderTask(ctx, topic.window, topic.index);
    case 'rejection':
      return renderRejection(ctx, topic.gate);
    case 'note':
      return { text: topic.text };
  }
}
