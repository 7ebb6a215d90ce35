/**
 * The fake Discord gateway (ws, v10, JSON, no compression): HELLO on connect, HEARTBEAT_ACK for heartbeats,
 * READY and GUILD_CREATE (the guild's channels and active threads) after IDENTIFY, then whatever the test
 * dispatches (INTERACTION_CREATE, MESSAGE_REACTION_ADD/REMOVE, …) with the session's increasing sequence numbers;
 * a message's deletion only to a session whose intents ask for it, as Discord does.
 *
 * Sessions outlive their connection, as Discord's do: what is dispatched while a session's connection is down is
 * kept, and a RESUME (op 6) on a new connection replays the dispatches after the client's sequence number, then
 * sends RESUMED. A session the client closed with 1000/1001, or one the gateway closed as timed out (4009) or for
 * an invalid sequence (4007), is gone: a RESUME of it is answered INVALID_SESSION (op 9, d=false) and the client
 * must IDENTIFY again (a new session, which replays nothing).
 */
import type { Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  APPLICATION_ID,
  BOT_USER_ID,
  channelJson,
  type DiscordWorld,
  GUILD_ID,
  inGuild,
  now,
  userJson,
} from './fake-discord-state.ts';

export interface GatewayCounts {
  readonly identifies: number;
  readonly resumes: number;
  /** Dispatches sent again in answer to a RESUME. */
  readonly replayed: number;
  readonly invalidSessions: number;
}

export interface FakeGateway {
  /** Resolves once a client has identified and received READY and GUILD_CREATE. */
  ready(): Promise<void>;
  /** Intents of the last IDENTIFY. */
  intents(): number | undefined;
  heartbeats(): number;
  counts(): GatewayCounts;
  /** Dispatches to every session: sent now on a connected one, kept for a RESUME on one whose connection is down. */
  dispatch(type: string, data: unknown): void;
  /**
   * Closes every client connection with a gateway close code (the server stays up, as Discord's does). After
   * 4007 or 4009 the sessions are gone; after other codes (4000 unknown error, …) they can be resumed.
   */
  disconnect(code: number, reason: string): void;
  /** The network drops every connection (no close frame); the sessions can be resumed. */
  drop(): void;
  close(): Promise<void>;
}

interface Session {
  readonly id: string;
  /** The intents it identified with: Discord sends only the events they ask for. */
  readonly intents: number;
  seq: number;
  /** The session's dispatches, for a RESUME to replay those after the client's sequence number. */
  readonly log: { readonly s: number; readonly t: string; readonly d: unknown }[];
  socket?: WebSocket | undefined;
}

/** Dispatches a session keeps for a RESUME; one that asks for older ones is answered INVALID_SESSION. */
const REPLAY_MAX = 1000;
/**
 * The intent an event needs, where the fake checks one: a message deleted in a server needs Guild Messages (1 << 9),
 * one in a direct message Direct Messages (1 << 12). Other events go to every session.
 */
function intentOf(t: string, d: unknown): number | undefined {
  if (t !== 'MESSAGE_DELETE' && t !== 'MESSAGE_DELETE_BULK') return undefined;
  return (d as { guild_id?: unknown }).guild_id === undefined ? 1 << 12 : 1 << 9;
}

/** Close codes after which Discord does not let the session be resumed. */
const SESSION_ENDING = new Set([1000, 1001, 4007, 4009]);

function guildJson(world: DiscordWorld): Record<string, unknown> {
  const all = [...world.channels.values()].filter((c) => inGuild(c, GUILD_ID));
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
  const sessions = new Map<string, Session>();
  const counts = { identifies: 0, resumes: 0, replayed: 0, invalidSessions: 0 };
  let lastIntents: number | undefined;
  let beats = 0;
  let readyWaiters: (() => void)[] = [];
  let identified = false;
  let sessionCount = 0;

  const send = (socket: WebSocket, payload: unknown) => socket.send(JSON.stringify(payload));
  const dispatchIn = (session: Session, t: string, d: unknown) => {
    const event = { s: ++session.seq, t, d };
    session.log.push(event);
    if (session.log.length > REPLAY_MAX) session.log.shift();
    if (session.socket) send(session.socket, { op: 0, ...event });
  };
  const sessionOn = (socket: WebSocket) => [...sessions.values()].find((x) => x.socket === socket);
  /** The session's connection goes (the caller closes it); the session stays unless `code` ends it. */
  const detach = (session: Session, code: number) => {
    session.socket = undefined;
    if (SESSION_ENDING.has(code)) sessions.delete(session.id);
  };

  const identify = (socket: WebSocket, d: Record<string, unknown> | null) => {
    if (d?.token !== world.token) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    counts.identifies += 1;
    lastIntents = Number(d?.intents);
    const session: Session = {
      id: `session-${++sessionCount}-${Date.now()}`,
      intents: lastIntents,
      seq: 0,
      log: [],
      socket,
    };
    sessions.set(session.id, session);
    dispatchIn(session, 'READY', {
      v: 10,
      user: { ...userJson(BOT_USER_ID, true), verified: true, mfa_enabled: false, flags: 0 },
      guilds: [{ id: GUILD_ID, unavailable: true }],
      session_id: session.id,
      resume_gateway_url: `ws://127.0.0.1:${(server.address() as { port: number }).port}`,
      shard: [0, 1],
      application: { id: APPLICATION_ID, flags: 0 },
    });
    dispatchIn(session, 'GUILD_CREATE', guildJson(world));
    identified = true;
    for (const waiter of readyWaiters) waiter();
    readyWaiters = [];
  };

  const resume = (socket: WebSocket, d: Record<string, unknown> | null) => {
    if (d?.token !== world.token) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    const session = sessions.get(String(d?.session_id));
    const seq = Number(d?.seq ?? 0);
    const oldest = session?.log[0]?.s ?? 1;
    if (!session || (seq + 1 < oldest && session.seq > seq)) {
      counts.invalidSessions += 1;
      send(socket, { op: 9, d: false, s: null, t: null });
      return;
    }
    if (seq > session.seq) {
      detach(session, 4007);
      socket.close(4007, 'Invalid seq.');
      return;
    }
    if (session.socket && session.socket !== socket) session.socket.terminate();
    counts.resumes += 1;
    session.socket = socket;
    for (const event of session.log.filter((e) => e.s > seq)) {
      counts.replayed += 1;
      send(socket, { op: 0, ...event });
    }
    send(socket, { op: 0, t: 'RESUMED', s: ++session.seq, d: {} });
  };

  wss.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', (code) => {
      sockets.delete(socket);
      const session = sessionOn(socket);
      if (session) detach(session, code);
    });
    send(socket, { op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null });
    socket.on('message', (raw) => {
      const payload = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> | null };
      if (payload.op === 1) {
        beats += 1;
        send(socket, { op: 11, d: null, s: null, t: null });
      } else if (payload.op === 2) identify(socket, payload.d);
      else if (payload.op === 6) resume(socket, payload.d);
    });
  });

  const cut = (code: number, end: (socket: WebSocket) => void) => {
    for (const session of [...sessions.values()]) if (session.socket) detach(session, code);
    for (const socket of sockets) end(socket);
  };

  return {
    ready: () =>
      new Promise<void>((resolve) => {
        if (identified && sockets.size > 0) resolve();
        else readyWaiters.push(resolve);
      }),
    intents: () => lastIntents,
    heartbeats: () => beats,
    counts: () => ({ ...counts }),
    dispatch(t, d) {
      if (t === 'INTERACTION_CREATE') {
        const { id, token, channel_id } = d as { id: string; token: string; channel_id?: string };
        world.interactions.set(token, {
          id,
          token,
          at: now(),
          acknowledged: false,
          ...(channel_id !== undefined && { channel: channel_id }),
        });
      }
      const intent = intentOf(t, d);
      for (const session of sessions.values())
        if (intent === undefined || (session.intents & intent) !== 0) dispatchIn(session, t, d);
    },
    disconnect(code, reason) {
      cut(code, (socket) => socket.close(code, reason));
    },
    drop() {
      cut(1006, (socket) => socket.terminate());
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
