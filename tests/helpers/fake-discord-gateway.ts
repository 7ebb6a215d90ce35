/**
 * The fake Discord gateway (ws, v10, JSON, no compression): HELLO on connect, HEARTBEAT_ACK for heartbeats,
 * READY and GUILD_CREATE (the guild's channels and active threads) after IDENTIFY, then whatever the test
 * dispatches (INTERACTION_CREATE, MESSAGE_REACTION_ADD/REMOVE, …) with increasing sequence numbers.
 */
import type { Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  APPLICATION_ID,
  BOT_USER_ID,
  channelJson,
  type DiscordWorld,
  GUILD_ID,
  userJson,
} from './fake-discord-state.ts';

export interface FakeGateway {
  /** Resolves once a client has identified and received READY and GUILD_CREATE. */
  ready(): Promise<void>;
  /** Intents of the last IDENTIFY. */
  intents(): number | undefined;
  heartbeats(): number;
  dispatch(type: string, data: unknown): void;
  /** Closes every client connection with a gateway close code (the server stays up, as Discord's does). */
  disconnect(code: number, reason: string): void;
  close(): Promise<void>;
}

function guildJson(world: DiscordWorld): Record<string, unknown> {
  const all = [...world.channels.values()];
  return {
    id: GUILD_ID,
    name: 'Preflight test guild',
    icon: null,
    owner_id: '1260000000000000001',
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [
      {
        id: GUILD_ID,
        name: '@everyone',
        color: 0,
        hoist: false,
        position: 0,
        permissions: '0',
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    joined_at: '2026-01-01T00:00:00.000000+00:00',
    large: false,
    unavailable: false,
    member_count: 6,
    voice_states: [],
    members: [
      {
        user: userJson(BOT_USER_ID, true),
        roles: [],
        joined_at: '2026-01-01T00:00:00.000000+00:00',
        deaf: false,
        mute: false,
        flags: 0,
      },
    ],
    channels: all.filter((c) => c.type === 0).map(channelJson),
    threads: all.filter((c) => c.type === 11).map(channelJson),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** Attaches the gateway to the fake's HTTP server (same port as the REST API). */
export function attachFakeGateway(server: Server, world: DiscordWorld): FakeGateway {
  const wss = new WebSocketServer({ server });
  const sockets = new Set<WebSocket>();
  let seq = 0;
  let lastIntents: number | undefined;
  let beats = 0;
  let readyWaiters: (() => void)[] = [];
  let identified = false;

  const send = (socket: WebSocket, payload: unknown) => socket.send(JSON.stringify(payload));
  const dispatchTo = (socket: WebSocket, t: string, d: unknown) => send(socket, { op: 0, t, s: ++seq, d });

  wss.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    send(socket, { op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null });
    socket.on('message', (raw) => {
      const payload = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> | null };
      if (payload.op === 1) {
        beats += 1;
        send(socket, { op: 11, d: null, s: null, t: null });
      } else if (payload.op === 2) {
        if (payload.d?.token !== world.token) {
          socket.close(4004, 'Authentication failed.');
          return;
        }
        lastIntents = Number(payload.d?.intents);
        dispatchTo(socket, 'READY', {
          v: 10,
          user: { ...userJson(BOT_USER_ID, true), verified: true, mfa_enabled: false, flags: 0 },
          guilds: [{ id: GUILD_ID, unavailable: true }],
          session_id: `session-${Date.now()}`,
          resume_gateway_url: `ws://127.0.0.1:${(server.address() as { port: number }).port}`,
          shard: [0, 1],
          application: { id: APPLICATION_ID, flags: 0 },
        });
        dispatchTo(socket, 'GUILD_CREATE', guildJson(world));
        identified = true;
        for (const waiter of readyWaiters) waiter();
        readyWaiters = [];
      }
    });
  });

  return {
    ready: () =>
      new Promise<void>((resolve) => {
        if (identified && sockets.size > 0) resolve();
        else readyWaiters.push(resolve);
      }),
    intents: () => lastIntents,
    heartbeats: () => beats,
    dispatch(t, d) {
      for (const socket of sockets) dispatchTo(socket, t, d);
    },
    disconnect(code, reason) {
      for (const socket of sockets) socket.close(code, reason);
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
