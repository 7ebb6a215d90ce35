/**
 * A TCP relay between a bot and its Redis that lets a test act at the moment a write leaves the bot: when a
 * command carrying a marker (e.g. a Slack trigger id) passes, the bot's connections go deaf (nothing more from
 * Redis reaches them), the test's hook runs (it SIGKILLs the bot), and only then is the write passed on, so Redis
 * stores it and the bot never learns it did: "recorded, killed before it answered", without any sleep.
 */

import type { AddressInfo } from 'node:net';
import { connect, createServer, type Socket } from 'node:net';

export interface RedisTap {
  /** REDIS_URL for the bot. */
  readonly url: string;
  /** Runs `hook` once a write carrying `marker` leaves a client, before Redis gets it (see above). */
  onWrite(marker: string, hook: () => void): void;
  close(): Promise<void>;
}

/** Starts a relay to Redis on `port` on a free loopback port. */
export async function startRedisTap(port: number): Promise<RedisTap> {
  const pairs = new Set<{ client: Socket; upstream: Socket; deaf: boolean }>();
  let armed: { marker: string; hook: () => void } | undefined;
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    const pair = { client, upstream, deaf: false };
    pairs.add(pair);
    let tail = '';
    client.on('data', (chunk: Buffer) => {
      const seen = tail + chunk.toString('latin1');
      tail = seen.slice(-256);
      if (armed && seen.includes(armed.marker)) {
        const { hook } = armed;
        armed = undefined;
        for (const p of pairs) p.deaf = true;
        hook();
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!pair.deaf) client.write(chunk);
    });
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      // What the client sent is already with Redis; its connection then ends like the dead process's.
      upstream.end();
    };
    client.on('close', end);
    client.on('error', end);
    upstream.on('close', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${own}`,
    onWrite(marker, hook) {
      armed = { marker, hook };
    },
    async close() {
      for (const p of pairs) {
        p.client.destroy();
        p.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
