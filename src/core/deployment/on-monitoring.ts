import { UserError } from '../errors.ts';
import { describePeople, resolvePeople } from '../runbook/people.ts';
import type { Runbook } from '../runbook/schema.ts';
import { type Change, refuse, type TransitionResult } from './change.ts';
import type { DeploymentEvent } from './events.ts';
import { alsoHeldOn } from './reaction-held.ts';
import { taskAlreadyTickedText, taskTickedText } from './reply-texts.ts';

type MonitoringEvent = Extract<DeploymentEvent, { type: 'success.result' | 'task.tick' | 'task.untick' }>;

/** A monitoring task's title and the people who may tick it (every runbook person when it names nobody). */
export function monitoringTask(
  runbook: Runbook,
  window: number,
  index: number,
): { title: string; owners: string[]; ownerRefs: readonly string[] } | undefined {
  const period = runbook.monitoring?.[window];
  const task = period?.tasks?.[index];
  if (!period || task === undefined) return undefined;
  const title = typeof task === 'string' ? task : task.title;
  const refs = (typeof task === 'string' ? undefined : task.owner) ?? period.owner ?? [];
  const owners = refs.length > 0 ? resolvePeople(runbook, refs) : Object.keys(runbook.people);
  return { title, owners, ownerRefs: refs };
}

/** Applies a monitoring event. */
export function onMonitoring(c: Change, event: MonitoringEvent): TransitionResult | undefined {
  switch (event.type) {
    case 'success.result': {
      if (c.deployment.success?.some((s) => s.id === event.criterion)) return undefined;
      const result = {
        id: event.criterion,
        title: event.title,
        met: event.met,
        detail: event.detail,
        at: c.now,
      };
      c.set({ success: [...(c.deployment.success ?? []), result] });
      c.record('success.evaluated', 'preflight', {
        criterion: event.criterion,
        met: event.met,
        detail: event.detail,
      });
      c.note(`success:${event.criterion}`, event.text);
      return undefined;
    }
    case 'task.tick':
    case 'task.untick': {
      const task = monitoringTask(c.runbook, event.window, event.index);
      if (!task) return refuse(new UserError('BAD_COMMAND', 'there is no such monitoring task'));
      // Unticking takes back only the person's own tick (below), which only an owner could have made: a ✅ taken
      // off by anyone else was refused when it was added, and is not refused again.
      if (event.type === 'task.tick' && !task.owners.includes(event.by))
        return refuse(
          new UserError(
            'NOT_THE_OWNER',
            `only ${describePeople(c.runbook, task.ownerRefs)} can tick "${task.title}"; your ✅ was not counted`,
          ),
        );
      const done = c.deployment.tasksDone ?? [];
      const mine = (t: (typeof done)[number]) => t.window === event.window && t.index === event.index;
      if (event.type === 'task.tick') {
        const ticked = done.find(mine);
        if (ticked) {
          // Its ticker's ✅ on another message of the task holds the tick too (reaction-held.ts).
          const held = ticked.by === event.by ? alsoHeldOn(ticked, event.onMessage, c.now) : undefined;
          if (held) c.set({ tasksDone: done.map((t) => (t === ticked ? held : t)) });
          // As for a checklist item: a second Done says so, not a bare "Done." that reads as if it did something.
          c.reply = taskAlreadyTickedText(task.title, c.runbook.people[ticked.by]?.name ?? ticked.by);
          return undefined;
        }
        c.set({
          tasksDone: [
            ...done,
            {
              window: event.window,
              index: event.index,
              by: event.by,
              at: c.now,
              ...(event.onMessage !== undefined && { onMessage: event.onMessage }),
            },
          ],
        });
        c.record('task.ticked', event.by, { window: event.window, task: task.title });
        c.reply = taskTickedText(task.title, c.runbook.people[event.by]?.name ?? event.by);
      } else {
        if (!done.some((t) => mine(t) && t.by === event.by)) return undefined;
        c.set({ tasksDone: done.filter((t) => !mine(t)) });
        c.record('task.unticked', event.by, { window: event.window, task: task.title });
      }
      c.refresh({ kind: 'task', window: event.window, index: event.index });
      return undefined;
    }
  }
}
