/** A monitoring task's message: posted to its owners when its period starts, ticked with ✅. */
import { type ChatMessage, describeState, monitoringTask } from '../../core/index.ts';
import { clock, mentions, type RenderContext } from './format.ts';

/** Renders task `index` of monitoring period `window`. */
export function renderTask(ctx: RenderContext, window: number, index: number): ChatMessage {
  const { deployment: d, runbook } = ctx;
  const task = monitoringTask(runbook, window, index);
  const period = runbook.monitoring?.[window];
  const name = period?.title ?? period?.id ?? 'Monitoring';
  if (!task) return { text: `${name}: task ${index + 1}` };
  const done = d.tasksDone?.find((t) => t.window === window && t.index === index);
  if (done)
    return {
      text: `✅ ${name} task: ${task.title} — done by @{${done.by}} at ${clock(done.at, runbook.timezone)}`,
      tone: 'good',
    };
  // Rolled back, aborted or failed while it waited: it can no longer be ticked, and nobody is asked any longer.
  if (d.state !== 'monitoring' && d.state !== 'succeeded')
    return {
      text: `⏹️ ${name} task: ${task.title} — no longer needed, the deployment is ${describeState(d.state)}`,
    };
  return {
    text: `📋 ${name} task: ${task.title} — ${mentions(task.owners)}, react ✅ here when it is done.`,
    buttons: [{ action: 'task.tick', label: 'Done', value: `${d.id}:${window}.${index}`, style: 'primary' }],
  };
}
