/** Turns console lines into dispatcher calls, acting as a runbook person; see `console-grammar.ts`. */
import type { DeploymentStore, MessageIndex } from '../../core/index.ts';
import type { Dispatcher } from '../dispatch.ts';
import type { ConsoleChat } from './console-chat.ts';
import { ConsoleFailure } from './console-failure.ts';
import { type ConsoleLine, describeConsoleGrammar, parseConsoleLine } from './console-grammar.ts';
import { createConsoleLookups } from './console-lookups.ts';

/** What the console input acts through: the dispatcher every adapter feeds, and read-only core ports. */
export interface ConsoleInputDeps {
  readonly dispatcher: Dispatcher;
  readonly index: Pick<MessageIndex, 'find' | 'lookup'>;
  readonly store: Pick<DeploymentStore, 'get' | 'list'>;
  readonly chat: Pick<ConsoleChat, 'shown' | 'transcript'>;
  /** The runbooks' channels; commands are typed in the first. */
  readonly channels: readonly string[];
  /** The runbook people `as` may switch to. */
  readonly people: readonly string[];
  /** Who types when a line names nobody (`--as`). */
  readonly user: string;
  /** How long a `<deployment>/<key>` reference waits for its message (default 30 s). */
  readonly refTimeoutMs?: number;
  readonly pollMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: { error(obj: object, msg?: string): void };
}

/** The input side of the terminal chat. */
export interface ConsoleInput {
  /** Acts on one line; false when it was refused or failed (a script stops there). */
  handle(line: string, options?: { readonly echo?: boolean }): Promise<boolean>;
  /** Who types when a line names nobody. */
  user(): string;
}

const HINT = '(type "help" for the console grammar)';

/** Creates the input side of the terminal chat. */
export function createConsoleInput(deps: ConsoleInputDeps): ConsoleInput {
  const { dispatcher, chat } = deps;
  const lookups = createConsoleLookups(deps);
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const channel = deps.channels[0] ?? '#deployments';
  let user = deps.user;
  let last: string | undefined;

  const deploymentOf = (name: string): string => {
    if (name !== 'last') return name;
    if (last === undefined)
      throw new ConsoleFailure(
        'no deployment was started in this session yet, so "last" means nothing; name one (toy-1)',
      );
    return last;
  };

  // `echo` shows the line as typed; a line aimed at a message shows it once that message is on screen.
  const act = async (line: ConsoleLine, echo: () => void): Promise<void> => {
    const userId = 'said' in line && line.user !== undefined ? line.user : user;
    const from = { platform: 'console' as const, userId };
    if (line.kind !== 'reaction' && line.kind !== 'click' && line.kind !== 'reply') echo();
    switch (line.kind) {
      case 'blank':
        return;
      case 'narration':
        return chat.transcript.narrate(line.text);
      case 'help':
        return chat.transcript.info(describeConsoleGrammar(user));
      case 'as':
        if (!deps.people.includes(line.user))
          throw new ConsoleFailure(
            `${line.user} is not a person of the runbooks (people: ${deps.people.join(', ')})`,
          );
        user = line.user;
        return chat.transcript.info(`you now type as @${user}`);
      case 'sleep':
        return sleep(line.ms);
      case 'wait':
        return lookups.state(deploymentOf(line.deployment), line.states, line.timeoutMs);
      case 'wait-message':
        await lookups.message(line.target, deploymentOf, line.timeoutMs);
        return;
      case 'invalid':
        throw new ConsoleFailure(`${line.message} ${HINT}`);
      case 'command': {
        const reply = await dispatcher.command({ ...from, channel, text: line.text });
        if (reply === undefined) return;
        chat.transcript.reply(userId, reply, channel);
        // A started deployment is answered `Starting <id>: …` (privately); a refusal starts nothing.
        if (/^\/deploy\s+start\s/.test(line.text)) last = /^Starting (\S+):/.exec(reply.text)?.[1] ?? last;
        return;
      }
      case 'reaction': {
        const ref = await lookups.message(line.target, deploymentOf);
        echo();
        const { emoji, added } = line;
        const { refusal } = await dispatcher.reaction({
          ...from,
          channel: ref.channel,
          messageId: ref.id,
          emoji,
          added,
        });
        if (refusal) chat.transcript.reply(userId, refusal, ref.channel);
        return;
      }
      case 'click': {
        const ref = await lookups.message(line.target, deploymentOf);
        echo();
        const buttons = chat.shown(ref.id)?.message.buttons ?? [];
        const button = buttons.find((b) => b.label.toLowerCase() === line.label.toLowerCase());
        if (!button)
          throw new ConsoleFailure(
            buttons.length === 0
              ? `${ref.id} has no buttons in this session's transcript; react to it instead`
              : `${ref.id} has no "${line.label}" button; its buttons: ${buttons.map((b) => b.label).join(', ')}`,
          );
        const { action, value } = button;
        const reply = await dispatcher.button({
          ...from,
          channel: ref.channel,
          messageId: ref.id,
          action,
          value,
        });
        if (reply) chat.transcript.reply(userId, reply, ref.channel);
        return;
      }
      case 'reply': {
        const ref = await lookups.message(line.target, deploymentOf);
        echo();
        const threadId = ref.thread ?? ref.id;
        return dispatcher.threadMessage({ ...from, channel: ref.channel, threadId, text: line.text });
      }
    }
  };

  return {
    user: () => user,
    async handle(text, options) {
      const line = parseConsoleLine(text);
      const typedBy = 'said' in line ? (line.user ?? user) : undefined;
      let echoed = !options?.echo || line.kind === 'blank' || line.kind === 'narration';
      const echo = () => {
        if (echoed) return;
        echoed = true;
        chat.transcript.typed(typedBy, 'said' in line ? line.said : text.trim());
      };
      try {
        await act(line, echo);
        return true;
      } catch (error) {
        echo();
        if (error instanceof ConsoleFailure) chat.transcript.error(error.message);
        else {
          deps.log?.error({ err: error, line: text }, 'console line failed');
          chat.transcript.error(`that failed on Preflight's side: ${(error as Error).message}`);
        }
        return false;
      }
    },
  };
}
