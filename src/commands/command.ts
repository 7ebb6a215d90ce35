/** A chat command: parse its words, then run for an identified person. Every command file ends `satisfies Command`. */
import type {
  Caller,
  ChatPort,
  EngineDeps,
  MessageIndex,
  Notifier,
  Platform,
  SecretSource,
  UserError,
} from '../core/index.ts';

/** What commands may use: the engine, the notifier and where messages were posted (core ports). */
export interface CommandServices {
  readonly engine: EngineDeps & { readonly secrets: SecretSource };
  readonly notifier: Notifier;
  /** Where each deployment's messages are: a command without an id means one followed where it was typed. */
  readonly messages?: Pick<MessageIndex, 'find'>;
  /** The connected chat platforms: whether a deployment's thread still takes posts. */
  readonly ports?: Partial<Record<Platform, Pick<ChatPort, 'threadClosed'>>>;
}

/** Who typed the command, where. */
export interface Invocation {
  readonly platform: Platform;
  /** The platform's user id (on the terminal: the runbook person id). */
  readonly userId: string;
  readonly channel: string;
  /**
   * The deployment (or incident, `INC-n`) whose thread the command was typed in, if any: findDeployment takes an
   * incident's for its deployment.
   */
  readonly threadDeployment?: string;
  /** The platform's id of this request (`Caller.request`): handled again after a crash, it takes effect once. */
  readonly request?: string;
}

export interface Reply {
  readonly text: string;
  /** `ephemeral`: only the person who typed it sees it (where the platform can). */
  readonly visibility: 'ephemeral' | 'channel';
  /** The platform id of the thread the reply belongs in (a refused reaction: the reacted message's thread). */
  readonly thread?: string;
  /**
   * The answer instead when the channel refused the first message of the thread the answer links (a deployment just
   * started, an incident just opened): nothing there to follow, so it says what happens and what to do.
   */
  readonly refused?: string;
}

export interface CommandContext extends Invocation {
  readonly services: CommandServices;
}

export interface Command<Args = unknown> {
  /** Words that select it: `deploy start`, `rollback`. */
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  /** Parses the words after the name; a UserError explains the usage. */
  parse(words: readonly string[]): Args | UserError;
  run(ctx: CommandContext, args: Args): Promise<Reply>;
}

/** The caller as the core's door sees it: who, on which platform, through a typed command. */
export const callerOf = (invocation: Pick<Invocation, 'platform' | 'userId' | 'request'>): Caller => ({
  platform: invocation.platform,
  userId: invocation.userId,
  via: 'command',
  ...(invocation.request !== undefined && { request: invocation.request }),
});

/** A reply only the caller sees. */
export const privately = (text: string): Reply => ({ text, visibility: 'ephemeral' });
/** A reply everyone in the channel sees. */
export const publicly = (text: string): Reply => ({ text, visibility: 'channel' });
