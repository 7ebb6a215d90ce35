/** `/deploy help` */
import { type Command, privately } from './command.ts';
import { allCommands } from './registry.ts';

/** The list of commands and how reactions work, for people new to Preflight. */
export function helpText(): string {
  const lines = allCommands().map((c) => `${c.usage}  ${c.summary}`);
  return [
    'Preflight runs your deployment runbook from chat.',
    ...lines,
    'On a gate message: ✅ approves, ❌ rejects, removing your ✅ withdraws it until its steps start. On a checklist item: ✅ ticks it, removing it unticks it until the checklist passes.',
  ].join('\n');
}

export const deployHelp = {
  name: 'deploy help',
  usage: '/deploy help',
  summary: 'this list',
  parse: () => undefined,
  run: async () => privately(helpText()),
} satisfies Command<undefined>;
