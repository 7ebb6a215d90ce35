/**
 * The machine's own limits, measured in the same run: execa alone (in a small process of its own), BullMQ alone,
 * a bare HTTP server.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type ConnectionOptions, Queue, Worker } from 'bullmq';
import { execa } from 'execa';
import { Redis } from 'ioredis';
import { postFromOwnProcess } from './bench-http.ts';
import { quantile, WARMUP_REQUESTS } from './bench-stats.ts';

/** Runs the raw baseline in a small process of its own, as a plain script runner would (raw-child.ts). */
async function inSmallProcess(args: readonly string[]): Promise<Record<string, number>> {
  const child = fileURLToPath(new URL('./raw-child.ts', import.meta.url));
  const { stdout } = await execa(process.execPath, [child, ...args]);
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
}

/** execa call → the child's first instruction (its own clock, read by bash), p95 over `runs`. */
export async function measureRawSpawn(runs: number): Promise<number> {
  return Number((await inSmallProcess(['spawn', String(runs)])).p95);
}

/** `runs` trivial steps back to back: the median run and the whole. */
export async function measureRawSerial(runs: number): Promise<{ medianMs: number; totalMs: number }> {
  const r = await inSmallProcess(['serial', String(runs)]);
  return { medianMs: Number(r.medianMs), totalMs: Number(r.totalMs) };
}

/** The same trivial steps at `concurrency`, per second, and the CPU per step (the runner with its reaped steps). */
export async function measureRawThroughput(
  runs: number,
  concurrency: number,
): Promise<{ perSecond: number; cpuMsPerStep: number }> {
  const r = await inSmallProcess(['throughput', String(runs), String(concurrency)]);
  return { perSecond: Number(r.perSecond), cpuMsPerStep: Number(r.cpuMsPerStep) };
}

/** No-op BullMQ jobs through one worker at `concurrency`, per second. */
export async function measureRawJobs(redisUrl: string, runs: number, concurrency: number): Promise<number> {
  const producer = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const consumer = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('bench-noop', {
    connection: producer as unknown as ConnectionOptions,
    prefix: 'bench',
  });
  let done = 0;
  let finished: () => void = () => {};
  const all = new Promise<void>((r) => {
    finished = r;
  });
  const worker = new Worker(
    'bench-noop',
    async () => {
      if (++done === runs) finished();
    },
    { connection: consumer as unknown as ConnectionOptions, prefix: 'bench', concurrency, autorun: false },
  );
  await queue.addBulk(
    Array.from({ length: runs }, (_, i) => ({ name: 'noop', data: { i }, opts: { removeOnComplete: true } })),
  );
  const started = performance.now();
  void worker.run();
  await all;
  const perSecond = runs / ((performance.now() - started) / 1000);
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  producer.disconnect();
  consumer.disconnect();
  return perSecond;
}

/**
 * A bare node:http server in the bench's process answering a POST from a client process of its own: the floor for an
 * HTTP acknowledgement, p99 over `runs` (after warm-up).
 */
export async function measureBareHttp(runs: number, body: string): Promise<number> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  const answers = await postFromOwnProcess(
    Array.from({ length: WARMUP_REQUESTS + runs }, () => ({ url, headers, body })),
  );
  const samples = answers.slice(WARMUP_REQUESTS).map((a) => a.ms);
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  return quantile(samples, 0.99);
}
