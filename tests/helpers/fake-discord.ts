/**
 * A local fake of Discord (REST API v10 + WebSocket gateway on one port) that the real discord.js client talks
 * to: DISCORD_API_URL points at `http://127.0.0.1:PORT/api`, and GET /gateway/bot hands out the ws:// URL.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attachFakeGateway, type FakeGateway } from './fake-discord-gateway.ts';
import { createDiscordRest, type PostHook } from './fake-discord-rest.ts';
import { createDiscordWorld, type DiscordWorld } from './fake-discord-state.ts';

export * from './fake-discord-state.ts';

export interface FakeDiscord {
  readonly world: DiscordWorld;
  readonly gateway: FakeGateway;
  /** DISCORD_API_URL for Preflight. */
  readonly apiUrl: string;
  readonly token: string;
  rateLimitOnce(route: RegExp, retryAfterSeconds: number): void;
  /** The next `times` requests on a route matching `route` get HTTP `status` (5xx) and are not carried out. */
  failNext(route: RegExp, status: number, times: number): void;
  /** Ends the failures `failNext(route, …)` still had to come. */
  recover(route: RegExp): void;
  /**
   * Runs `hook` with each message a post (POST …/messages) made, after it is in the world and before the post is
   * answered (the answer waits for it): people see the message before the bot hears Discord's answer.
   */
  beforePostAnswer(hook: PostHook | undefined): void;
  /** Holds the next interaction callback open, never answered; resolves once it arrived (see fake-discord-rest.ts). */
  holdNextCallback(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the fake on a free loopback port. */
export async function startFakeDiscord(): Promise<FakeDiscord> {
  const world = createDiscordWorld();
  let gateway: FakeGateway | undefined;
  let wsUrl = '';
  const rest = createDiscordRest(world, {
    gatewayUrl: () => wsUrl,
    dispatch: (type, data) => gateway?.dispatch(type, data),
  });
  const server = createServer((req, res) => {
    rest.handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: String(error), code: 0 }));
    });
  });
  gateway = attachFakeGateway(server, world);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  wsUrl = `ws://127.0.0.1:${port}`;
  const open = gateway;
  return {
    world,
    gateway: open,
    apiUrl: `http://127.0.0.1:${port}/api`,
    token: world.token,
    rateLimitOnce: (route, seconds) => rest.rateLimitOnce(route, seconds),
    failNext: (route, status, times) => rest.failNext(route, status, times),
    recover: (route) => rest.recover(route),
    holdNextCallback: () => rest.holdNextCallback(),
    beforePostAnswer: (hook) => rest.beforePostAnswer(hook),
    async close() {
      await open.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
