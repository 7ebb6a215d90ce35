/**
 * The dispatch pipeline every chat adapter feeds: commands, reactions, buttons and thread replies. Adapters only
 * translate their platform's payloads into inbox entries (inbox-handler.ts makes these calls from them, which is
 * also where redeliveries are recognised); nothing here knows which platform it is on.
 */
import { type CommandServices, privately, type Reply } from '../commands/command.ts';
import { handleButton, handleReaction } from '../commands/reactions.ts';
import { runCommand } from '../commands/run-command.ts';
import {
  applyEvent,
  type ButtonAction,
  isUserError,
  type MessageIndex,
  mentionUser,
  type Platform,
} from '../core/index.ts';

export interface DispatchLog {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DispatchDeps {
  readonly services: CommandServices;
  readonly index: MessageIndex;
  readonly log: DispatchLog;
}

interface From {
  readonly platform: Platform;
  readonly userId: string;
  readonly channel: string;
}

export interface Dispatcher {
  command(input: From & { readonly text: string; readonly threadId?: string }): Promise<Reply | undefined>;
  /** Resolves false when the message is not one of Preflight's (not in the message index). */
  reaction(
    input: From & { readonly messageId: string; readonly emoji: string; readonly added: boolean },
  ): Promise<boolean>;
  button(input: From & { readonly action: ButtonAction; readonly value: string }): Promise<Reply | undefined>;
  threadMessage(input: From & { readonly threadId: string; readonly text: string }): Promise<void>;
}

/** Creates the dispatcher. */
export function createDispatcher(deps: DispatchDeps): Dispatcher {
  const { services, index, log } = deps;
  const answer = (deploymentId: string, key: string, text: string) =>
    services.notifier.deliver(deploymentId, { type: 'post', topic: { kind: 'note', key, text } });

  return {
    async command(input) {
      const thread =
        input.threadId !== undefined
          ? await index.lookup(input.platform, input.channel, input.threadId)
          : undefined;
      const ctx = { ...input, services, ...(thread && { threadDeployment: thread.deploymentId }) };
      return runCommand(ctx, input.text, log);
    },

    async reaction(input) {
      const target = await index.lookup(input.platform, input.channel, input.messageId);
      if (!target) return false;
      try {
        const reply = await handleReaction(services, {
          ...input,
          deploymentId: target.deploymentId,
          key: target.key,
        });
        if (reply)
          log.info({ deployment: target.deploymentId, key: target.key, user: input.userId }, reply.text);
      } catch (error) {
        // A bug or an outage: thrown, so the inbox hands the reaction over again.
        if (!isUserError(error)) throw error;
        // Answered once per person, message and reason: the note key dedupes repeats.
        const key = `refused:${target.key}:${input.userId}:${error.code}`;
        await answer(target.deploymentId, key, `${mentionUser(input.userId)} ${error.message}`);
      }
      return true;
    },

    async button(input) {
      try {
        return (await handleButton(services, input)) ?? privately('Done.');
      } catch (error) {
        if (isUserError(error)) return privately(`⚠️ ${error.message}`);
        log.error({ err: error, action: input.action }, 'button failed');
        return privately("💥 Something went wrong on Preflight's side; the logs have the details.");
      }
    },

    async threadMessage(input) {
      const thread = await index.lookup(input.platform, input.channel, input.threadId);
      if (!thread) return;
      const deployment = await services.engine.store.get(thread.deploymentId);
      const rejected = deployment?.gates.find(
        (g) => g.status === 'rejected' && g.rejection?.reason === undefined,
      );
      if (!deployment || !rejected?.rejection) return;
      const runbook = await services.engine.runbooks.pinned(deployment.runbookDigest);
      const person = Object.entries(runbook.people).find(
        ([id, p]) =>
          (input.platform === 'console' ? id : input.platform === 'slack' ? p.slack : p.discord) ===
          input.userId,
      )?.[0];
      if (person !== rejected.rejection.by) return;
      await applyEvent(services.engine, deployment.id, {
        type: 'gate.reason',
        gate: rejected.id,
        by: person,
        reason: input.text.slice(0, 500),
      });
    },
  };
}
