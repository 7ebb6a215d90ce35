/**
 * A process that drains the chat send queue, for the crash test. Prints one JSON line per send attempt; the
 * attempt for HANG_AT never answers, so the test can SIGKILL it mid-send. Run with Node 24 from node_modules.
 */
import { Redis } from 'ioredis';
import { createChatSendQueue } from '../../src/jobs/chat-send-queue.ts';

const [redisUrl = '', prefix = '', hangAt = '', leaseMs = '600'] = process.argv.slice(2);
const quiet = { info() {}, warn() {}, error() {} };

const queue = createChatSendQueue({
  connect: () => {
    const client = new Redis(redisUrl, { maxRetriesPerRequest: null });
    client.on('error', () => {});
    return client;
  },
  prefix,
  send: (delivery) => {
    process.stdout.write(`${JSON.stringify({ key: delivery.key, channel: delivery.channel })}\n`);
    if (delivery.key === hangAt) return new Promise(() => {});
    return Promise.resolve({ status: 'sent' });
  },
  minIntervalMs: () => 10,
  leaseMs: Number(leaseMs),
  log: quiet,
});
queue.start();
process.stdout.write('ready\n');
