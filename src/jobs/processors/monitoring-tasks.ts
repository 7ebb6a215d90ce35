/** Monitoring tasks: posted to their owners when their period starts; a reminder when it ends with tasks open. */
import { type Deployment, monitoringTask, type Runbook } from '../../core/index.ts';
import type { ProcessorDeps } from './processor-deps.ts';

const WATCHED = ['monitoring', 'succeeded'];

/** Posts the period's tasks (`post`) or reminds their owners of the ones still open (`remind`). */
export async function runTasksJob(
  deps: ProcessorDeps,
  runbook: Runbook,
  deployment: Deployment,
  window: number,
  phase: 'post' | 'remind',
): Promise<void> {
  const period = runbook.monitoring?.[window];
  if (!period?.tasks?.length || !WATCHED.includes(deployment.state)) return;
  const indexes = period.tasks.map((_, i) => i);
  if (phase === 'post') {
    for (const index of indexes)
      await deps.notifier.deliver(deployment.id, { type: 'post', topic: { kind: 'task', window, index } });
    return;
  }
  const open = indexes.filter(
    (index) => !deployment.tasksDone?.some((t) => t.window === window && t.index === index),
  );
  if (open.length === 0) return;
  const lines = open.map((index) => {
    const task = monitoringTask(runbook, window, index);
    return `  - ${task?.title ?? index + 1} (${(task?.owners ?? []).map((p) => `@{${p}}`).join(' ')})`;
  });
  await deps.engine.store.appendAudit(
    deployment.id,
    [
      {
        type: 'tasks.reminded',
        actor: 'preflight',
        detail: { window: period.id ?? window, open: open.length },
      },
    ],
    deps.engine.clock.now(),
  );
  await deps.notifier.deliver(deployment.id, {
    type: 'post',
    topic: {
      kind: 'note',
      key: `tasks-open:${window}`,
      text: `⏰ ${period.title ?? period.id ?? 'Monitoring'} has ended with ${open.length} task${open.length === 1 ? '' : 's'} open:\n${lines.join('\n')}\nReact ✅ on each task's message once it is done.`,
    },
  });
}
