/**
 * The dispatch pipeline every chat adapter feeds: commands, reactions, buttons, thread replies and deletions.
 * Adapters only translate their platform's payloads into inbox entries (inbox-handler.ts makes these calls from
 * them, which is also where redeliveries are recognised); nothing here knows which platform it is on.
 */
import { randomBytes } from 'node:crypto';
import { type CommandServices, privately, type Reply } from '../commands/command.ts';
import { buttonWouldBeRefused, handleButton, handleReaction, isIncidentId } from '../commands/reactions.ts';
import { runCommand } from '../commands/run-command.ts';
import {
  type ButtonAction,
  type ChatPort,
  type Deployment,
  EMOJI,
  FINAL_STATES,
  InboxRetry,
  isUserError,
  LookAlikeReaction,
  type MessageIndex,
  type NoticeLimit,
  type Platform,
  plainLinks,
  plainLiterals,
  type ReactionClaims,
  type ReactionOrder,
  type ReasonReplies,
  type Telemetry,
} from '../core/index.ts';
import { checkButtonOrigin } from './button-origin.ts';
import { countOncePerRequest } from './count-once-per-request.ts';
import { claimFirstDelivery } from './first-delivery.ts';
import { firstLookAlikeAnswer } from './look-alike-once.ts';
import { whenMessageDeleted } from './message-deleted.ts';
import { takeKeptReason, takeReplyAsReason } from './rejection-reason.ts';
import { expandLinks, expandLinksSaying } from './send/expand-links.ts';
import { type ReactionOutcome, unknownMessage } from './unknown-message.ts';

export interface DispatchLog {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DispatchDeps {
  readonly services: CommandServices;
  readonly index: MessageIndex;
  readonly log: DispatchLog;
  /** Counts commands by name and outcome (for /metrics). */
  readonly telemetry?: Pick<Telemetry, 'commandHandled'>;
  /** The connected platforms: answers link channels and threads on them (plain names elsewhere). */
  readonly ports?: Partial<Record<Platform, ChatPort>>;
  /** Applies a person's reactions in the order they were made (those that carry a time). */
  readonly reactionOrder?: ReactionOrder;
  /** Tells a reaction's second delivery (another bot on the same token heard it too) from the reaction made again. */
  readonly reactionClaims?: ReactionClaims;
  /** Keeps a look-alike reaction's answer to one per person, message and emoji. */
  readonly noticeLimit?: NoticeLimit;
  /** Keeps thread replies a while: a rejection's reason handled before the ❌ it explains (rejection-reason.ts). */
  readonly reasonReplies?: ReasonReplies;
}

/**
 * How long an answer waits for the thread it points to (the status message of a deployment just started, the
 * post of an incident just opened): a quiet channel's turn, or one 429 wait. The wait holds one of the inbox's slots,
 * so only THREAD_WAITERS answers wait at once: in a burst the others answer at once rather than hold up approvals
 * behind them, saying the thread is refused where its channel is known to refuse Preflight's posts, and otherwise
 * that it is not posted there yet (expand-links.ts).
 */
const THREAD_WAIT_MS = 3_000;
/** How many answers may wait for their thread at once (each holds an inbox slot meanwhile). */
const THREAD_WAITERS = 2;

interface From {
  readonly platform: Platform;
  readonly userId: string;
  readonly channel: string;
  /** The platform's id of the request (its inbox entry): handled again, it takes effect once. */
  readonly request?: string;
}

export type { ReactionOutcome } from './unknown-message.ts';

export interface Dispatcher {
  command(input: From & { readonly text: string; readonly threadId?: string }): Promise<Reply | undefined>;
  reaction(
    input: From & {
      readonly messageId: string;
      readonly emoji: string;
      readonly added: boolean;
      /** When the reaction was made (µs), where the platform says: see ReactionOrder. */
      readonly at?: number;
      /** Read back after a gap: `at` is when it was read, not when it was made. */
      readonly quiet?: true;
      /** Whether the message is one Preflight posted, where the platform says. */
      readonly ours?: boolean;
      /** The platform gave it no id: other deliveries of it may come as other requests (see ReactionClaims). */
      readonly unnamed?: true;
    },
  ): Promise<ReactionOutcome>;
  button(
    input: From & {
      readonly action: ButtonAction;
      readonly value: string;
      readonly text?: string;
      /** The message the button is on, where the platform says: a press counts only on its subject's own. */
      readonly messageId?: string;
      /**
       * The inbox hands the press over again when its handling fails: a failure on Preflight's side (Redis gone for
       * a moment) is thrown for that, so the press still takes effect, once, rather than being answered and lost;
       * a press on a message not known yet while a post is unconfirmed waits for it (InboxRetry), as a reaction does.
       */
      readonly retried?: boolean;
    },
  ): Promise<Reply | undefined>;
  threadMessage(
    input: From & {
      readonly threadId: string;
      readonly text: string;
      /** When it was written (µs), where the platform says (Slack's ts). */
      readonly at?: number;
    },
  ): Promise<void>;
  /** Someone deleted a message: a prompt of Preflight's still open there is posted again (message-deleted.ts). */
  messageDeleted(input: From & { readonly messageId: string }): Promise<void>;
  /**
   * Whether the press of a button that opens a form first (Reject: why?) would be refused now, so the platform
   * answers it as a press instead of asking for words that would count for nothing. Read only: nothing is recorded.
   */
  formRefused(
    input: From & { readonly action: ButtonAction; readonly value: string; readonly messageId?: string },
  ): Promise<boolean>;
}

/** Creates the dispatcher. */
export function createDispatcher(deps: DispatchDeps): Dispatcher {
  const { services, index, log } = deps;
  const reasons = { services, index, ...(deps.reasonReplies && { replies: deps.reasonReplies }) };
  const telemetryFor = countOncePerRequest(deps.telemetry);
  let waiting = 0;
  /** Whether a deployment or an incident is still under way (its thread's first message may be on its way). */
  const underWay = async (owner: string): Promise<boolean> => {
    const deployment = await services.engine.store.get(owner);
    if (deployment) return !FINAL_STATES.includes(deployment.state);
    const incident = await services.engine.incidents.get(owner);
    return incident !== undefined && incident.state !== 'resolved';
  };
  const linked = async (platform: Platform, reply: Reply): Promise<Reply> => {
    // A few answers at a time may wait for their thread; in a burst the rest link the channel at once.
    const mayWait = waiting < THREAD_WAITERS;
    if (mayWait) waiting += 1;
    try {
      const waitMs = mayWait ? THREAD_WAIT_MS : 0;
      const port = deps.ports?.[platform];
      const { notifier } = services;
      const refused = notifier.refused?.bind(notifier);
      const channelRefuses = notifier.channelRefuses?.bind(notifier);
      const { unposted, ...said } = await expandLinksSaying(reply.text, {
        port,
        index,
        waitMs,
        sayUnposted: underWay,
        ...(refused && { refused }),
        ...(channelRefuses && { channelRefuses }),
      });
      const { refused: instead, ...rest } = reply;
      if (unposted.length > 0 && instead !== undefined)
        return { ...rest, text: await expandLinks(instead, { port, index }) };
      return { ...rest, ...said };
    } finally {
      if (mayWait) waiting -= 1;
    }
  };

  return {
    async command(input) {
      const thread =
        input.threadId !== undefined
          ? await index.lookup(input.platform, input.channel, input.threadId)
          : undefined;
      const ctx = { ...input, services, ...(thread && { threadDeployment: thread.deploymentId }) };
      const telemetry = telemetryFor(input.request);
      return linked(input.platform, await runCommand(ctx, input.text, log, telemetry));
    },

    async reaction(input) {
      const target = await index.lookup(input.platform, input.channel, input.messageId);
      if (!target) return unknownMessage(index, input);
      let first = true;
      const apply = async (current?: Deployment) => {
        // Claimed in the reaction's order, before it takes effect: the delivery that applies first is the one that answers.
        first = await claimFirstDelivery(deps.reactionClaims, input);
        const reply = await handleReaction(
          services,
          { ...input, deploymentId: target.deploymentId, key: target.key },
          current,
        );
        if (reply)
          log.info(
            { deployment: target.deploymentId, key: target.key, user: input.userId },
            plainLiterals(plainLinks(reply.text)),
          );
      };
      try {
        const order = deps.reactionOrder;
        if (order && input.at !== undefined) {
          const key = [input.platform, input.channel, input.messageId, input.userId, input.emoji].join(':');
          // The deployment is read with the lock, not a round trip after it: on the same connection (`redis` in
          // main.ts, its keys in one hash slot), Redis reads it once the lock is taken.
          const read = isIncidentId(target.deploymentId)
            ? undefined
            : () => services.engine.store.get(target.deploymentId);
          if ((await order.run<Deployment | undefined>(key, input.at, apply, read)) === 'overtaken')
            log.info(
              { deployment: target.deploymentId, key: target.key, user: input.userId, added: input.added },
              'a reaction handled after a later one of the same person: left as the later one made it',
            );
        } else await apply();
        // A ❌ that rejected without a reason: the reply explaining it may have been handled first.
        if (input.emoji === EMOJI.reject && input.added && input.at !== undefined && !input.quiet)
          await takeKeptReason(reasons, { ...input, at: input.at, deploymentId: target.deploymentId });
      } catch (error) {
        // A bug or an outage: thrown, so the inbox hands the reaction over again.
        if (!isUserError(error)) throw error;
        // Another delivery of a reaction already handled: what it says now (a tick after the checklist completed, a
        // refusal told already) is no news to the person.
        if (!first) return { known: true };
        if (error instanceof LookAlikeReaction && !(await firstLookAlikeAnswer(deps.noticeLimit, input)))
          return { known: true };
        // To the person only, in the thread of the message they reacted to: no public reply, no mention.
        const ref = await index.find(target.deploymentId, target.key);
        const thread = ref?.thread ?? ref?.id ?? input.messageId;
        const refusal = await linked(input.platform, privately(`⚠️ ${error.message}`));
        return { known: true, refusal: { ...refusal, thread } };
      }
      return { known: true };
    },

    async button(input) {
      try {
        const { key, value } = await checkButtonOrigin(
          { index, incidents: services.engine.incidents, mayHold: input.retried === true },
          input,
        );
        const pressed = { ...input, value, ...(key !== undefined && { key }) };
        return await linked(input.platform, (await handleButton(services, pressed)) ?? privately('Done.'));
      } catch (error) {
        if (isUserError(error)) return privately(`⚠️ ${error.message}`);
        // Its message may be a post still being saved: handled again shortly (its last handling refuses it).
        if (error instanceof InboxRetry) throw error;
        const reference = randomBytes(4).toString('hex');
        log.error(
          { err: error, action: input.action, reference, retried: input.retried === true },
          'button failed',
        );
        if (input.retried) throw error;
        return privately(
          `💥 Something went wrong on Preflight's side (reference ${reference}), so your press may not have been taken. The operators can find it in the logs; look at the message it was on (or /deploy status, /incident status) before pressing again.`,
        );
      }
    },

    async formRefused(input) {
      try {
        // A press on a message still being saved opens its form: the form's answer waits for the message.
        const { key, value } = await checkButtonOrigin(
          { index, incidents: services.engine.incidents, mayHold: true },
          input,
        );
        return await buttonWouldBeRefused(services, { ...input, value, ...(key !== undefined && { key }) });
      } catch (error) {
        return isUserError(error);
      }
    },

    messageDeleted: (input) => whenMessageDeleted({ services, index }, input),

    async threadMessage(input) {
      await takeReplyAsReason(reasons, input);
    },
  };
}
