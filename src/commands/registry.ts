/** Every chat command, looked up by its leading words. */

import { ack } from './ack.ts';
import type { Command } from './command.ts';
import { deployAbort } from './deploy-abort.ts';
import { deployDecide } from './deploy-decide.ts';
import { deployHistory } from './deploy-history.ts';
import { deployLock, deployUnlock } from './deploy-lock.ts';
import { deployPause, deployResume } from './deploy-pause.ts';
import { deployPlan } from './deploy-plan.ts';
import { deployStart } from './deploy-start.ts';
import { deployStatus } from './deploy-status.ts';
import { incidentEmergency, incidentOpen, incidentResolve, incidentStatus } from './incident.ts';
import { oncall } from './oncall.ts';
import { foldKeyword } from './parse-words.ts';
import { rollback } from './rollback.ts';

// biome-ignore lint/suspicious/noExplicitAny: commands differ in their argument types; each is checked by `satisfies Command`.
type AnyCommand = Command<any>;

const COMMANDS: readonly AnyCommand[] = [
  deployStart,
  deployStatus,
  deployPlan,
  deployAbort,
  deployPause,
  deployResume,
  deployDecide,
  deployHistory,
  deployLock,
  deployUnlock,
  rollback,
  ack,
  incidentOpen,
  incidentStatus,
  incidentResolve,
  incidentEmergency,
  oncall,
];

/** Extra commands (incidents, help) register here at start-up so the help lists them. */
const extra: AnyCommand[] = [];

/** Adds commands defined elsewhere in this folder. */
export function registerCommands(...commands: readonly AnyCommand[]): void {
  for (const command of commands) if (!extra.includes(command)) extra.push(command);
}

/** All commands, in help order. */
export function allCommands(): readonly AnyCommand[] {
  return [...COMMANDS, ...extra];
}

/** The command whose name matches the first words (in any case: `/Deploy START`), and the words after it. */
export function lookupCommand(
  words: readonly string[],
): { command: AnyCommand; rest: readonly string[] } | undefined {
  for (const command of allCommands()) {
    const name = command.name.split(' ');
    if (name.every((part, i) => foldKeyword(words[i] ?? '') === part))
      return { command, rest: words.slice(name.length) };
  }
  return undefined;
}
