/**
 * The fake Discord REST API (v10) for the routes Preflight calls: gateway discovery, command bulk overwrite,
 * guild channels, messages (JSON or multipart with files), threads, reactions, DMs and interaction responses.
 * Interactions are answered by Discord's rules: the initial response (callback) within 3 s of the dispatch, once
 * (10062 Unknown interaction late, 40060 a second time); edits and follow-ups only after it (10015 Unknown Webhook)
 * and within 15 minutes (50027 Invalid Webhook Token). A follow-up for the channel is listed among the channel's
 * messages, marked with its interaction (interaction_metadata), as Discord shows it.
 * Content over Discord's 2,000 characters is refused (400, 50035), in messages and interaction answers alike.
 * Every answer carries Discord's rate-limit headers (5 per 5 s per route and channel, as for messages); one 429
 * with Retry-After and `retry_after` can be forced on a route, and so can a run of 5xx answers (Discord having a bad
 * moment: the request is not carried out).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { empty, json, type Parsed, parseBody } from './fake-discord-http.ts';
import {
  APPLICATION_ID,
  BOT_USER_ID,
  CONTENT_MAX,
  channelJson,
  type DiscordWorld,
  type FakeDiscordMessage,
  GUILD_ID,
  INITIAL_RESPONSE_MS,
  inGuild,
  messageJson,
  NONCE_KEPT_MS,
  nextSnowflake,
  now,
  TOKEN_VALID_MS,
  userJson,
} from './fake-discord-state.ts';

export interface RestHooks {
  /** The gateway's ws:// URL, for GET /gateway/bot. */
  gatewayUrl(): string;
  /** Dispatches a gateway event (THREAD_CREATE when a thread is started). */
  dispatch(type: string, data: unknown): void;
}

/**
 * Runs after a post made its message (a follow-up for the channel too) and before the post is answered: the answer
 * waits for it.
 */
export type PostHook = (message: FakeDiscordMessage) => Promise<void>;

type Body = Record<string, unknown>;
const WINDOW_MS = 5_000;
const LIMIT = 5;

/** Creates the request handler for `/api/v10/...`. */
export function createDiscordRest(world: DiscordWorld, hooks: RestHooks) {
  const windows = new Map<string, { start: number; count: number }>();
  const forced: { route: RegExp; retryAfter: number }[] = [];
  const failing: { route: RegExp; status: number; left: number }[] = [];

  const rateHeaders = (bucket: string, res: ServerResponse): boolean => {
    const t = Date.now();
    let w = windows.get(bucket);
    if (!w || t - w.start >= WINDOW_MS) {
      w = { start: t, count: 0 };
      windows.set(bucket, w);
    }
    w.count += 1;
    const resetAfter = Math.max(0, (w.start + WINDOW_MS - t) / 1000);
    res.setHeader('X-RateLimit-Limit', String(LIMIT));
    res.setHeader('X-RateLimit-Remaining', String(Math.max(0, LIMIT - w.count)));
    res.setHeader('X-RateLimit-Reset-After', resetAfter.toFixed(3));
    res.setHeader('X-RateLimit-Reset', ((t + resetAfter * 1000) / 1000).toFixed(3));
    res.setHeader('X-RateLimit-Bucket', Buffer.from(bucket).toString('hex').slice(0, 32));
    return w.count > LIMIT;
  };

  /** Callbacks to hold open (the next ones that arrive); each resolver is told when its callback arrived. */
  const holds: (() => void)[] = [];
  /** Runs with each message a post made, before the post is answered (the answer waits for it). */
  let beforePostAnswer: PostHook | undefined;

  /**
   * An interaction's token takes edits and follow-ups only after its initial response, for 15 minutes: before that
   * Discord answers 404 Unknown Webhook (the deadline was missed, the token invalidated), after it 401.
   */
  const refuseWebhook = (token: string, res: ServerResponse): boolean => {
    const interaction = world.interactions.get(token);
    if (!interaction || now() - interaction.at > TOKEN_VALID_MS) {
      json(res, 401, { message: 'Invalid Webhook Token', code: 50027 });
      return true;
    }
    if (!interaction.acknowledged) {
      json(res, 404, { message: 'Unknown Webhook', code: 10015 });
      return true;
    }
    return false;
  };

  /** The code a channel (or the channel of a thread) refuses the bot's posts with, if it does. */
  const refusalIn = (channelId: string): number | undefined =>
    world.refused.get(channelId) ?? world.refused.get(world.channels.get(channelId)?.parent_id ?? '');
  const refuse = (res: ServerResponse, code: number) =>
    json(res, 403, { message: code === 50001 ? 'Missing Access' : 'Missing Permissions', code });
  /** Answers a write in a locked thread as Discord does; true when it did. */
  const refuseLocked = (channelId: string, res: ServerResponse): boolean => {
    if (!world.lockedThreads.has(channelId)) return false;
    json(res, 400, { message: 'Thread is archived', code: 50083 });
    return true;
  };

  const createMessage = (channelId: string, body: Body, files: Parsed['files']): FakeDiscordMessage => {
    const message: FakeDiscordMessage = {
      id: nextSnowflake(),
      channel_id: channelId,
      content: String(body.content ?? ''),
      components: (body.components as unknown[]) ?? [],
      attachments: files.map((f) => ({ id: nextSnowflake(), filename: f.name, content: f.content })),
      edits: 0,
      at: Date.now(),
    };
    world.messages.push(message);
    return message;
  };

  const routes: [string, RegExp, (m: string[], p: Parsed, res: ServerResponse) => void][] = [
    [
      'GET',
      /^\/gateway\/bot$/,
      (_m, _p, res) =>
        json(res, 200, {
          url: hooks.gatewayUrl(),
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
        }),
    ],
    [
      'PUT',
      /^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands$/,
      (m, p, res) => {
        const list = (p.body as unknown as Body[]).map((c) => ({
          ...c,
          id: nextSnowflake(),
          application_id: m[1],
          version: nextSnowflake(),
          ...(m[2] && { guild_id: m[2] }),
        }));
        world.commands.set(m[2] ? `guild:${m[2]}` : 'global', list);
        json(res, 200, list);
      },
    ],
    [
      'GET',
      /^\/guilds\/(\d+)\/channels$/,
      (m, _p, res) => {
        const guild = m[1] ?? '';
        const all = [...world.channels.values()];
        if (guild !== GUILD_ID && !all.some((c) => inGuild(c, guild)))
          return json(res, 404, { message: 'Unknown Guild', code: 10004 });
        json(res, 200, all.filter((c) => c.type === 0 && inGuild(c, guild)).map(channelJson));
      },
    ],
    [
      'POST',
      /^\/channels\/(\d+)\/messages$/,
      (m, p, res) => {
        if (!world.channels.has(m[1] ?? ''))
          return json(res, 404, { message: 'Unknown Channel', code: 10003 });
        // A person who takes no direct messages from server members, or a bot: as Discord answers then.
        const recipient = world.channels.get(m[1] ?? '')?.recipient;
        if (recipient !== undefined && (world.closedDms.has(recipient) || world.bots.has(recipient)))
          return json(res, 403, { message: 'Cannot send messages to this user', code: 50007 });
        const refused = refusalIn(m[1] ?? '');
        if (refused !== undefined) return refuse(res, refused);
        if (refuseLocked(m[1] ?? '', res)) return;
        const nonce = p.body.enforce_nonce === true ? String(p.body.nonce ?? '') : '';
        const earlier =
          nonce &&
          world.messages.find(
            (x) => x.channel_id === m[1] && x.nonce === nonce && Date.now() - x.at < NONCE_KEPT_MS,
          );
        if (earlier) return json(res, 200, messageJson(earlier));
        const made = createMessage(m[1] ?? '', p.body, p.files);
        if (nonce) made.nonce = nonce;
        const hook = beforePostAnswer;
        if (!hook) return json(res, 200, messageJson(made));
        // The message is there for people to see (and press) while its answer is still on its way.
        void Promise.resolve(hook(made))
          .catch(() => undefined)
          .then(() => json(res, 200, messageJson(made)));
      },
    ],
    [
      'PATCH',
      /^\/channels\/(\d+)\/messages\/(\d+)$/,
      (m, p, res) => {
        if (!world.channels.has(m[1] ?? ''))
          return json(res, 404, { message: 'Unknown Channel', code: 10003 });
        const message = world.message(m[2] ?? '');
        if (!message) return json(res, 404, { message: 'Unknown Message', code: 10008 });
        const refused = refusalIn(m[1] ?? '');
        if (refused !== undefined) return refuse(res, refused);
        if (refuseLocked(m[1] ?? '', res)) return;
        if (p.body.content !== undefined) message.content = String(p.body.content);
        if (p.body.components !== undefined) message.components = p.body.components as unknown[];
        if (p.files.length > 0 || p.body.attachments !== undefined)
          message.attachments = p.files.map((f) => ({
            id: nextSnowflake(),
            filename: f.name,
            content: f.content,
          }));
        message.edits += 1;
        json(res, 200, messageJson(message));
      },
    ],
    [
      'GET',
      /^\/channels\/(\d+)\/messages$/,
      (m, p, res) => {
        if (!world.channels.has(m[1] ?? ''))
          return json(res, 404, { message: 'Unknown Channel', code: 10003 });
        const after = BigInt(p.query?.get('after') ?? '0');
        const limit = Math.min(100, Number(p.query?.get('limit') ?? '50'));
        // The oldest `limit` after the id, newest first, as Discord lists them.
        const listed = [...world.messages, ...world.followUps]
          .filter((x) => x.channel_id === m[1] && BigInt(x.id) > after)
          .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
          .slice(0, limit)
          .reverse();
        json(
          res,
          200,
          listed.map((x) => messageJson(x, world.reactionsOn(x.id))),
        );
      },
    ],
    ['GET', /^\/users\/@me$/, (_m, _p, res) => json(res, 200, userJson(BOT_USER_ID, true))],
    [
      'GET',
      /^\/channels\/(\d+)$/,
      (m, _p, res) => {
        const channel = world.channels.get(m[1] ?? '');
        if (!channel) return json(res, 404, { message: 'Unknown Channel', code: 10003 });
        const shown = channelJson(channel);
        if (!world.lockedThreads.has(channel.id)) return json(res, 200, shown);
        const metadata = shown.thread_metadata as Record<string, unknown>;
        json(res, 200, { ...shown, thread_metadata: { ...metadata, archived: true, locked: true } });
      },
    ],
    [
      'GET',
      /^\/channels\/(\d+)\/messages\/(\d+)$/,
      (m, _p, res) => {
        const message = world.message(m[2] ?? '');
        return message
          ? json(res, 200, messageJson(message, world.reactionsOn(message.id)))
          : json(res, 404, { message: 'Unknown Message', code: 10008 });
      },
    ],
    [
      'POST',
      /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/,
      (m, p, res) => {
        const message = world.message(m[2] ?? '');
        if (!message) return json(res, 404, { message: 'Unknown Message', code: 10008 });
        const refused = refusalIn(m[1] ?? '') ?? (world.threadsRefused.has(m[1] ?? '') ? 50013 : undefined);
        if (refused !== undefined) return refuse(res, refused);
        if (message.thread)
          return json(res, 400, {
            message: 'A thread has already been created for this message',
            code: 160004,
          });
        const thread = { id: message.id, name: String(p.body.name ?? ''), type: 11, parent_id: m[1] ?? '' };
        world.channels.set(thread.id, thread);
        message.thread = thread.id;
        hooks.dispatch('THREAD_CREATE', { ...channelJson(thread), newly_created: true });
        json(res, 201, channelJson(thread));
      },
    ],
    ['PUT', /^\/channels\/(\d+)\/messages\/(\d+)\/reactions\/([^/]+)\/@me$/, (_m, _p, res) => empty(res)],
    [
      'GET',
      /^\/channels\/(\d+)\/messages\/(\d+)\/reactions\/([^/]+)$/,
      (m, p, res) => {
        const answer = () => {
          if (res.destroyed) return;
          // Discord lists normal reactions unless asked for super reactions (type=1).
          const kept = p.query?.get('type') === '1' ? world.superReactions : world.reactions;
          const users = kept.get(m[2] ?? '')?.get(decodeURIComponent(m[3] ?? '')) ?? new Set<string>();
          // As Discord pages them: by user id, after `after`, `limit` of them (25 unless asked, 100 at most).
          const after = BigInt(p.query?.get('after') ?? '0');
          const limit = Math.min(Number(p.query?.get('limit') ?? 25), 100);
          const page = [...users]
            .filter((id) => BigInt(id) > after)
            .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))
            .slice(0, limit);
          json(
            res,
            200,
            page.map((id) => userJson(id, world.bots.has(id))),
          );
        };
        const held = world.reactionReadsHeld;
        if (held) void held.then(answer);
        else answer();
      },
    ],
    [
      'POST',
      /^\/users\/@me\/channels$/,
      (_m, p, res) => {
        const recipient = String(p.body.recipient_id ?? '');
        const existing = [...world.channels.values()].find((c) => c.type === 1 && c.recipient === recipient);
        const channel = existing ?? { id: nextSnowflake(), name: '', type: 1, recipient };
        world.channels.set(channel.id, channel);
        json(res, 200, channelJson(channel));
      },
    ],
    [
      'POST',
      /^\/interactions\/(\d+)\/([^/]+)\/callback$/,
      (m, p, res) => {
        const interaction = world.interactions.get(m[2] ?? '');
        // Past Discord's 3 s (or never delivered), the interaction is gone: no initial response is taken.
        if (!interaction || interaction.id !== m[1] || now() - interaction.at > INITIAL_RESPONSE_MS)
          return json(res, 404, { message: 'Unknown interaction', code: 10062 });
        if (interaction.acknowledged)
          return json(res, 400, { message: 'Interaction has already been acknowledged.', code: 40060 });
        // A command in a thread a moderator archived and locked cannot be answered (discord-api-docs#5517).
        if (refuseLocked(interaction.channel ?? '', res)) return;
        const hold = holds.shift();
        if (hold) {
          // Held open and never answered: Discord never got it unless the test answers it (the bot is killed).
          hold();
          return;
        }
        interaction.acknowledged = true;
        interaction.thinking = p.body.type === 5;
        world.answers.push({ token: m[2] ?? '', kind: 'callback', body: p.body, at: now() });
        empty(res);
      },
    ],
    [
      'PATCH',
      /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(?:@|%40)original$/,
      (m, p, res) => {
        if (refuseWebhook(m[2] ?? '', res)) return;
        const interaction = world.interactions.get(m[2] ?? '');
        if (interaction) interaction.thinking = false;
        world.answers.push({ token: m[2] ?? '', kind: 'edit', body: p.body, files: p.files, at: now() });
        json(
          res,
          200,
          messageJson({
            id: nextSnowflake(),
            channel_id: '0',
            content: String(p.body.content ?? ''),
            components: [],
            attachments: [],
            edits: 1,
            at: Date.now(),
          }),
        );
      },
    ],
    [
      'DELETE',
      /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(?:@|%40)original$/,
      (m, _p, res) => {
        if (refuseWebhook(m[2] ?? '', res)) return;
        world.answers.push({ token: m[2] ?? '', kind: 'delete', body: {}, at: now() });
        empty(res);
      },
    ],
    [
      'POST',
      /^\/webhooks\/(\d+)\/([^/]+)$/,
      (m, p, res) => {
        if (refuseWebhook(m[2] ?? '', res)) return;
        const interaction = world.interactions.get(m[2] ?? '');
        // Right after a deferral, Discord takes a follow-up as the edit of the deferred message: no new message,
        // and its flags ignored (an ephemeral deferral stays ephemeral).
        const kind = interaction?.thinking ? 'edit' : 'followup';
        if (interaction) interaction.thinking = false;
        world.answers.push({ token: m[2] ?? '', kind, body: p.body, files: p.files, at: now() });
        const made: FakeDiscordMessage = {
          id: nextSnowflake(),
          channel_id: interaction?.channel ?? '0',
          content: String(p.body.content ?? ''),
          components: [],
          attachments: [],
          edits: 0,
          at: Date.now(),
          ...(interaction && { interaction: interaction.id }),
        };
        const ephemeral = (Number(p.body.flags ?? 0) & 64) === 64;
        if (kind === 'edit' || ephemeral || !interaction?.channel) return json(res, 200, messageJson(made));
        // The channel sees it at once, whether or not its answer reaches the bot.
        world.followUps.push(made);
        const hook = beforePostAnswer;
        if (!hook) return json(res, 200, messageJson(made));
        void Promise.resolve(hook(made))
          .catch(() => undefined)
          .then(() => json(res, 200, messageJson(made)));
      },
    ],
  ];

  return {
    /**
     * Holds the next interaction callback open, unanswered (as if the bot died before Discord got it); resolves
     * once it arrived. The bot recorded the interaction before it sends the callback.
     */
    holdNextCallback(): Promise<void> {
      return new Promise<void>((resolve) => holds.push(resolve));
    },
    /** Runs `hook` with each message a post made, before that post is answered; undefined stops it. */
    beforePostAnswer(hook: PostHook | undefined) {
      beforePostAnswer = hook;
    },
    /** The next `times` requests on a route matching `route` are answered `status` (5xx) and not carried out. */
    failNext(route: RegExp, status: number, times: number) {
      failing.push({ route, status, left: times });
    },
    /** Discord is back on `route`: the failures still to come there (failNext) are dropped. */
    recover(route: RegExp) {
      for (const f of failing) if (f.route.source === route.source) f.left = 0;
    },
    /** The next request on a route matching `route` is answered 429 with this Retry-After (seconds). */
    rateLimitOnce(route: RegExp, retryAfter: number) {
      forced.push({ route, retryAfter });
    },
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const url = new URL(req.url ?? '/', 'http://fake');
      const path = url.pathname.replace(/^\/api\/v10/, '');
      const method = req.method ?? 'GET';
      const parsed = { ...(await parseBody(req)), query: url.searchParams };
      const record = (status: number) =>
        world.calls.push({
          method,
          path,
          body: parsed.body,
          files: parsed.files.map((f) => f.name),
          status,
          authorized: req.headers.authorization === `Bot ${world.token}`,
          at: now(),
        });
      const route = routes.find(([m, re]) => m === method && re.test(path));
      if (!route) {
        record(404);
        return json(res, 404, { message: '404: Not Found', code: 0 });
      }
      // Interaction answers go by their token; everything else needs the bot token, as on Discord.
      const tokenless = /^\/(?:interactions|webhooks)\//.test(path);
      if (!tokenless && req.headers.authorization !== `Bot ${world.token}`) {
        record(401);
        return json(res, 401, { message: '401: Unauthorized', code: 0 });
      }
      const failure = failing.find((f) => f.left > 0 && f.route.test(path));
      if (failure) {
        failure.left -= 1;
        record(failure.status);
        return json(res, failure.status, { message: 'Internal Server Error', code: 0 });
      }
      const content = parsed.body.content ?? (parsed.body.data as Body | undefined)?.content;
      if (typeof content === 'string' && content.length > CONTENT_MAX) {
        record(400);
        return json(res, 400, {
          message: 'Invalid Form Body',
          code: 50035,
          errors: {
            content: {
              _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }],
            },
          },
        });
      }
      const match = path.match(route[1]) ?? [];
      const bucket = `${method}:${route[1].source}:${match[1] ?? ''}`;
      const exhausted = rateHeaders(bucket, res);
      const force = forced.findIndex((f) => f.route.test(path));
      if (exhausted || force >= 0) {
        const retryAfter =
          force >= 0
            ? (forced.splice(force, 1)[0]?.retryAfter ?? 1)
            : Number(res.getHeader('X-RateLimit-Reset-After'));
        res.setHeader('Retry-After', String(retryAfter));
        res.setHeader('X-RateLimit-Scope', 'user');
        record(429);
        return json(res, 429, {
          message: 'You are being rate limited.',
          retry_after: retryAfter,
          global: false,
        });
      }
      route[2]([...match], parsed, res);
      // 0: held open, not answered (yet).
      record(res.headersSent ? res.statusCode : 0);
    },
    applicationId: APPLICATION_ID,
  };
}
