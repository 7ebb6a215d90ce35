/**
 * Draws timeline pictures in a small long-lived helper process (render-child.ts) instead of the bot: a render
 * takes the CPU for a good fraction of a second, which would hold up every Slack acknowledgement and step of the
 * bot meanwhile, and resvg's native allocator keeps the memory it used. The helper draws one picture at a time,
 * is replaced after a number of pictures or once its memory passes a limit (so its memory is bounded and given
 * back to the system), is killed when a picture takes too long, and exits after a while without work. A picture
 * whose helper dies is handed to a new helper once; a picture whose helper hangs, or dies a second time, fails
 * with a clear error (the caller posts without the picture), and the next picture starts a new helper.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { forkHelper, holdOpen, stopHelper } from '../helper-process.ts';
import type { FromRenderer, ToRenderer } from './render-messages.ts';

const CHILD = fileURLToPath(new URL('./render-child.ts', import.meta.url));
const CLOSE_GRACE_MS = 10_000;

export interface PngRendererLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface PngRendererOptions {
  /** Pictures a helper draws before it is replaced (default 50). */
  readonly maxRenders?: number;
  /** Resident memory of the helper, in bytes, past which it is replaced after its current picture (default 200 MiB). */
  readonly maxRssBytes?: number;
  /** How long one picture may take before the helper is killed (default 20 s). */
  readonly timeoutMs?: number;
  /** An idle helper exits after this long (default 5 min); the next picture starts a new one. */
  readonly idleMs?: number;
  readonly log?: PngRendererLog;
}

export interface PngRenderer {
  /** PNG bytes of an SVG, drawn by the helper process. */
  render(svg: string): Promise<Uint8Array>;
  /** Starts the helper now, so the first picture does not wait for it. */
  warm(): void;
  /** The helper's pid, while one runs. */
  pid(): number | undefined;
  /** Stops the helper (after the picture it is drawing); pictures still waiting fail. */
  close(): Promise<void>;
}

interface Job {
  readonly svg: string;
  /** Helpers it was handed to. */
  tries: number;
  readonly resolve: (png: Uint8Array) => void;
  readonly reject: (error: Error) => void;
}

interface Drawing {
  readonly id: number;
  readonly job: Job;
  readonly helper: ChildProcess;
  readonly timer: NodeJS.Timeout;
}

function gone(helper: ChildProcess): boolean {
  return helper.exitCode !== null || helper.signalCode !== null;
}

/** Creates the renderer; its helper process is started with the first picture (or warm()). */
export function createPngRenderer(options: PngRendererOptions = {}): PngRenderer {
  const maxRenders = options.maxRenders ?? 50;
  const maxRssBytes = options.maxRssBytes ?? 200 * 2 ** 20;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const idleMs = options.idleMs ?? 5 * 60_000;
  const log = options.log;
  const alive = new Set<ChildProcess>();
  const queue: Job[] = [];
  let helper: ChildProcess | undefined;
  let drawn = 0;
  let drawing: Drawing | undefined;
  let nextId = 1;
  let idleTimer: NodeJS.Timeout | undefined;
  let closed = false;

  /** Lets a helper go: it exits once its channel closes (after the picture it is drawing, if any). */
  const retire = (target: ChildProcess, reason: string) => {
    if (helper === target) helper = undefined;
    if (!target.connected) return;
    log?.info({ pid: target.pid, reason }, 'picture renderer process retired');
    target.disconnect();
    setTimeout(() => target.kill('SIGKILL'), CLOSE_GRACE_MS).unref();
  };

  const armIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (helper && !drawing && queue.length === 0) retire(helper, 'idle');
    }, idleMs);
    idleTimer.unref();
  };

  const finish = (error: Error | undefined, png?: Uint8Array) => {
    const current = drawing;
    if (!current) return;
    drawing = undefined;
    clearTimeout(current.timer);
    if (!gone(current.helper)) holdOpen(current.helper, false);
    if (error) current.job.reject(error);
    else current.job.resolve(png ?? new Uint8Array());
    armIdle();
    pump();
  };

  const lost = (target: ChildProcess, how: string) => {
    alive.delete(target);
    if (helper === target) helper = undefined;
    const current = drawing;
    if (current?.helper !== target) return;
    const error = new Error(`Preflight's picture renderer process ${how} while drawing the picture`);
    if (current.job.tries < 2 && !closed) {
      // It may have died of something else (or before it read the picture): one more helper gets to try.
      log?.warn(
        { pid: target.pid, err: error },
        'picture renderer process lost; a new one draws the picture',
      );
      drawing = undefined;
      clearTimeout(current.timer);
      queue.unshift(current.job);
      pump();
      return;
    }
    log?.warn({ pid: target.pid, err: error }, 'picture renderer process lost');
    finish(error);
  };

  const onMessage = (target: ChildProcess, message: FromRenderer) => {
    if (drawing?.helper !== target || drawing.id !== message.id) return;
    drawn += 1;
    if (drawn >= maxRenders) retire(target, `drew ${drawn} pictures`);
    else if (message.rss > maxRssBytes)
      retire(target, `resident memory ${Math.round(message.rss / 2 ** 20)} MiB is past its limit`);
    if (message.kind === 'done') finish(undefined, message.png);
    else finish(new Error(message.message));
  };

  const ensureHelper = (): ChildProcess => {
    if (helper?.connected) return helper;
    const started = forkHelper(CHILD);
    alive.add(started);
    started.on('message', (message: FromRenderer) => onMessage(started, message));
    started.on('exit', (code, signal) =>
      lost(started, signal ? `was killed by ${signal}` : `exited with code ${code}`),
    );
    started.on('error', (error) => lost(started, `failed (${error.message})`));
    holdOpen(started, false);
    helper = started;
    drawn = 0;
    armIdle();
    return started;
  };

  const pump = () => {
    if (drawing || closed) return;
    const job = queue.shift();
    if (!job) return;
    const target = ensureHelper();
    const id = nextId++;
    job.tries += 1;
    const timer = setTimeout(() => {
      const error = new Error(
        `Preflight's picture renderer did not finish the picture within ${timeoutMs / 1000} s; it was stopped`,
      );
      log?.warn({ pid: target.pid, err: error }, 'picture renderer process hung');
      if (helper === target) helper = undefined;
      target.kill('SIGKILL');
      finish(error);
    }, timeoutMs);
    drawing = { id, job, helper: target, timer };
    holdOpen(target, true);
    // A helper that cannot be reached is stopped; its exit fails the picture.
    target.send({ kind: 'render', id, svg: job.svg } satisfies ToRenderer, (error) => {
      if (error) target.kill('SIGKILL');
    });
  };

  return {
    render(svg) {
      if (closed) return Promise.reject(new Error('Preflight is stopping; no picture is drawn'));
      return new Promise<Uint8Array>((resolve, reject) => {
        queue.push({ svg, tries: 0, resolve, reject });
        pump();
      });
    },
    warm() {
      if (!closed) ensureHelper();
    },
    pid: () => (helper?.connected ? helper.pid : undefined),
    async close() {
      closed = true;
      clearTimeout(idleTimer);
      for (const job of queue.splice(0)) job.reject(new Error('Preflight is stopping; no picture is drawn'));
      const exits = [...alive].map((target) => stopHelper(target, CLOSE_GRACE_MS));
      helper = undefined;
      await Promise.all(exits);
    },
  };
}
