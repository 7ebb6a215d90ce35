/**
 * Preflight with the real discord.js client logged in to the fake Discord (REST + gateway): driven only by
 * gateway dispatches (interactions, reactions), observed only through the REST calls it makes.
 */
import { Writable } from 'node:stream';
import { ANSWERED_IN_CHANNEL } from '../../src/bot/discord/discord-reply.ts';
import { readBackPlatforms } from '../../src/cli/chat-adapters.ts';
import { startDiscord } from '../../src/cli/start-discord.ts';
import { readConfig } from '../../src/config/config.ts';
import type { Deployment } from '../../src/core/index.ts';
import { createPreflight, type Preflight } from '../../src/main.ts';
import {
  buttonInteraction,
  type InteractionIds,
  modalSubmitInteraction,
  newInteractionIds,
  reactionData,
  slashInteraction,
} from './discord-events.ts';
import { FAST_TUNING } from './engine-harness.ts';
import {
  APPLICATION_ID,
  DEPLOY_CHANNEL_ID,
  type FakeDiscord,
  type FakeDiscordMessage,
  GUILD_ID,
  now,
  startFakeDiscord,
} from './fake-discord.ts';
import { createTestPrefix } from './redis-server.ts';
import { waitFor } from './slack-harness.ts';

export interface Sent extends InteractionIds {
  /** When the dispatch left the fake gateway. */
  readonly at: number;
}

export interface DiscordHarness {
  readonly fake: FakeDiscord;
  readonly logs: string[];
  preflight(): Preflight;
  command(
    user: string,
    name: string,
    sub: string | undefined,
    values?: Record<string, string | boolean>,
    options?: { channel?: string; ids?: InteractionIds },
  ): Sent;
  click(user: string, message: FakeDiscordMessage, customId: string, ids?: InteractionIds): Sent;
  /** Submits the form a button of `message` opened, with its fields filled in. */
  submit(user: string, message: FakeDiscordMessage, customId: string, fields: Record<string, string>): Sent;
  /** A reaction added or taken off; `burst`: a super reaction. */
  react(user: string, message: FakeDiscordMessage, emoji: string, added?: boolean, burst?: boolean): void;
  /**
   * Someone deletes a message: it is gone from the fake, and the gateway tells MESSAGE_DELETE to the sessions whose
   * intents ask for it (as Discord does).
   */
  deleteMessage(message: FakeDiscordMessage): void;
  /** The answer a person sees for an interaction: the edited deferral or the public follow-up. */
  answer(sent: Sent): Promise<{ kind: 'edit' | 'followup'; content: string; ephemeral: boolean }>;
  /**
   * What an interaction's answers leave for people to see now: its original answer (unless deleted), then each
   * follow-up, each private (ephemeral) or for the channel.
   */
  shown(sent: Sent): { content: string; ephemeral: boolean }[];
  waitFor: typeof waitFor;
  waitForState(id: string, states: readonly string[], timeoutMs?: number): Promise<Deployment>;
  /** Stops the bot (client and workers) and starts a new one on the same Redis, as after a crash or deploy. */
  /** Stops the bot and starts it again; `whileDown` runs in between (reactions then reach no bot). */
  restart(whileDown?: () => void): Promise<void>;
  /**
   * Starts a second bot on the same Discord token and Redis (a second replica): the fake gateway dispatches every
   * event to both sessions, as Discord does. Resolves with what stops it.
   */
  startReplica(): Promise<() => Promise<void>>;
  stop(): Promise<void>;
}

/** Starts the fake Discord, Preflight and the Discord adapter. */
export async function startDiscordHarness(options: {
  redisUrl: string;
  runbookPath: string;
  /** Changes the fake Discord before the bot first connects (channels it finds at start, say). */
  prepare?: (fake: FakeDiscord) => void;
}): Promise<DiscordHarness> {
  const fake = await startFakeDiscord();
  options.prepare?.(fake);
  const logs: string[] = [];
  const prefix = createTestPrefix();
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
  const config = readConfig({
    REDIS_URL: options.redisUrl,
    RUNBOOK: options.runbookPath,
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: APPLICATION_ID,
    DISCORD_GUILD_ID: GUILD_ID,
    DISCORD_API_URL: fake.apiUrl,
    LOG_LEVEL: 'info',
    ...env,
  });
  const boot = async () => {
    const preflight = await createPreflight({
      config,
      env,
      work: true,
      prefix,
      tuning: FAST_TUNING,
      readBackPlatforms: readBackPlatforms(config),
      logDestination: new Writable({
        write(chunk, _enc, done) {
          logs.push(String(chunk));
          done();
        },
      }),
    });
    const stopDiscord = await startDiscord(preflight, config);
    preflight.chat.queue.start();
    return { preflight, stopDiscord };
  };
  let bot = await boot();
  const channelOf = (id: string) => {
    const channel = fake.world.channels.get(id);
    if (!channel) throw new Error(`the fake has no channel ${id}`);
    return channel;
  };

  return {
    fake,
    logs,
    preflight: () => bot.preflight,
    command(user, name, sub, values = {}, o = {}) {
      const ids = o.ids ?? newInteractionIds();
      const at = now();
      fake.gateway.dispatch(
        'INTERACTION_CREATE',
        slashInteraction(ids, user, channelOf(o.channel ?? DEPLOY_CHANNEL_ID), name, sub, values),
      );
      return { ...ids, at };
    },
    click(user, message, customId, ids = newInteractionIds()) {
      const at = now();
      fake.gateway.dispatch(
        'INTERACTION_CREATE',
        buttonInteraction(ids, user, channelOf(message.channel_id), message, customId),
      );
      return { ...ids, at };
    },
    submit(user, message, customId, fields) {
      const ids = newInteractionIds();
      const at = now();
      fake.gateway.dispatch(
        'INTERACTION_CREATE',
        modalSubmitInteraction(ids, user, channelOf(message.channel_id), message, customId, fields),
      );
      return { ...ids, at };
    },
    react(user, message, emoji, added = true, burst = false) {
      fake.world.react(message.id, emoji, user, added, burst);
      const direct = fake.world.channels.get(message.channel_id)?.type === 1;
      fake.gateway.dispatch(
        added ? 'MESSAGE_REACTION_ADD' : 'MESSAGE_REACTION_REMOVE',
        reactionData(user, message, emoji, added, direct, burst),
      );
    },
    deleteMessage(message) {
      fake.world.messages.splice(fake.world.messages.indexOf(message), 1);
      const direct = fake.world.channels.get(message.channel_id)?.type === 1;
      fake.gateway.dispatch('MESSAGE_DELETE', {
        id: message.id,
        channel_id: message.channel_id,
        ...(!direct && { guild_id: GUILD_ID }),
      });
    },
    async answer(sent) {
      // An answer for the channel first tells the person, privately, where it is: the answer is the follow-up.
      const found = await waitFor(`the answer to interaction ${sent.id}`, () =>
        fake.world.answers.find(
          (a) =>
            a.token === sent.token &&
            (a.kind === 'followup' || (a.kind === 'edit' && a.body.content !== ANSWERED_IN_CHANNEL)),
        ),
      );
      const callback = fake.world.answers.find((a) => a.token === sent.token && a.kind === 'callback');
      const flags = Number((callback?.body.data as { flags?: number } | undefined)?.flags ?? 0);
      return {
        kind: found.kind as 'edit' | 'followup',
        content: String(found.body.content ?? ''),
        ephemeral: found.kind === 'edit' ? (flags & 64) === 64 : (Number(found.body.flags ?? 0) & 64) === 64,
      };
    },
    shown(sent) {
      const answers = fake.world.answers.filter((a) => a.token === sent.token);
      const callback = answers.find((a) => a.kind === 'callback');
      const flags = Number((callback?.body.data as { flags?: number } | undefined)?.flags ?? 0);
      const lastOriginal = answers.findLastIndex((a) => a.kind === 'edit' || a.kind === 'delete');
      const original = answers[lastOriginal];
      return [
        ...(original?.kind === 'edit'
          ? [{ content: String(original.body.content ?? ''), ephemeral: (flags & 64) === 64 }]
          : []),
        ...answers
          .filter((a) => a.kind === 'followup')
          .map((a) => ({
            content: String(a.body.content ?? ''),
            ephemeral: (Number(a.body.flags ?? 0) & 64) === 64,
          })),
      ];
    },
    waitFor,
    waitForState(id, states, timeoutMs = 30_000) {
      return waitFor(
        `${id} in ${states.join(' or ')}`,
        async () => {
          const d = await bot.preflight.engine.store.get(id);
          return d && states.includes(d.state) ? d : undefined;
        },
        timeoutMs,
      );
    },
    async restart(whileDown) {
      await bot.stopDiscord();
      await bot.preflight.stop();
      whileDown?.();
      bot = await boot();
    },
    async startReplica() {
      const replica = await boot();
      return async () => {
        await replica.stopDiscord();
        await replica.preflight.stop();
      };
    },
    async stop() {
      await bot.stopDiscord();
      await bot.preflight.stop();
      await fake.close();
    },
  };
}
