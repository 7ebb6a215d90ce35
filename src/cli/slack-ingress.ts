/**
 * Starts the ingress thread (slack-ingress-thread.ts) on Preflight's public port, in front of the bot's own HTTP
 * server, which then listens on the loopback interface only. The thread answers plain slash commands itself and
 * hands everything else to the bot's server. A thread that ends unexpectedly is started again; one that cannot be
 * is said in the log and ends the process (`lost`), which a supervisor restarts: the port must not go unanswered.
 */
import { Worker } from 'node:worker_threads';
import type { HttpLimits } from '../infra/http/http-limits.ts';
import type { RedisTarget } from '../infra/redis/redis-connector.ts';

export interface IngressSettings {
  readonly port: number;
  readonly host: string;
  /** The bot's own server, on 127.0.0.1. */
  readonly internalPort: number;
  /** What the bot's server knows the thread's word by (FORWARD_KEY): a body it left behind for its size. */
  readonly forwardKey: string;
  readonly signingSecret: string;
  /** The bot's own Slack user (auth.test): the thread records plain reactions only when it knows it. */
  readonly botUserId?: string | undefined;
  /** The lowest level of the lines the thread sends to the bot's log. */
  readonly logLevel: string;
  readonly target: RedisTarget;
  readonly prefix: string;
  /** In place of HTTP_LIMITS (tests of slow clients). */
  readonly limits?: HttpLimits;
}

export type BotToIngress =
  | { readonly type: 'listen'; readonly settings: IngressSettings }
  | { readonly type: 'close' };

export type IngressToBot =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'failed'; readonly code?: string | undefined; readonly message: string }
  | { readonly type: 'closed' }
  /** A line of pino's JSON for the bot's log. */
  | { readonly type: 'log'; readonly line: string };

export type IngressLog = Record<'debug' | 'info' | 'warn' | 'error', (obj: object, msg?: string) => void>;

const LEVELS: Readonly<Record<number, keyof IngressLog>> = {
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'error',
};

/** Writes a line of the thread's log into the bot's, at its level (the bot's redactor applies). */
function relay(log: IngressLog, line: string): void {
  try {
    const {
      level,
      msg,
      time: _time,
      pid: _pid,
      hostname: _hostname,
      ...fields
    } = JSON.parse(line) as {
      level: number;
      msg?: string;
    } & Record<string, unknown>;
    log[LEVELS[level] ?? 'info']({ ...fields, thread: 'slack-ingress' }, msg);
  } catch {
    log.warn({ thread: 'slack-ingress' }, 'the Slack ingress thread wrote a log line that is not JSON');
  }
}

export interface Ingress {
  readonly port: number;
  close(): Promise<void>;
}

/** A listen failure, with the errno code (EADDRINUSE …) the thread saw. */
class IngressFailed extends Error {
  readonly code: string | undefined;
  constructor(message: string, code?: string) {
    super(message);
    this.code = code;
  }
}

const CLOSE_MS = 5_000;

/** A thread started ahead (its modules load while the bot starts), not yet listening. */
export interface PreparedIngress {
  /** Listens on `settings.port`; resolves once it does, rejects (with the errno code) when it cannot. */
  listen(settings: IngressSettings, log: IngressLog, lost: (error: Error) => void): Promise<Ingress>;
  /** Ends the thread without its having listened (the bot did not start). */
  discard(): void;
}

function spawnThread(): Worker {
  const worker = new Worker(new URL('./slack-ingress-thread.ts', import.meta.url));
  // The bot's own handles keep the process; the thread must not hold it once the bot has stopped.
  worker.unref();
  return worker;
}

function listenOn(
  worker: Worker,
  settings: IngressSettings,
  log: IngressLog,
): Promise<{ worker: Worker; port: number }> {
  worker.on('message', (message: IngressToBot) => message.type === 'log' && relay(log, message.line));
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      void worker.terminate();
      reject(error);
    };
    const ended = (code: number) => fail(new IngressFailed(`the ingress thread ended (exit code ${code})`));
    worker.once('error', fail);
    worker.once('exit', ended);
    worker.on('message', function first(message: IngressToBot) {
      if (message.type === 'closed' || message.type === 'log') return;
      worker.off('message', first);
      worker.off('error', fail);
      worker.off('exit', ended);
      if (message.type === 'listening') resolve({ worker, port: message.port });
      else fail(new IngressFailed(message.message, message.code));
    });
    worker.postMessage({ type: 'listen', settings });
  });
}

/** Keeps a listening thread: started again when it ends unexpectedly, told to close and ended on `close`. */
function keep(
  first: { worker: Worker; port: number },
  settings: IngressSettings,
  log: IngressLog,
  lost: (error: Error) => void,
): Ingress {
  const port = first.port;
  let current = first.worker;
  let closing = false;
  const watch = (worker: Worker) => {
    worker.on('error', (error) => log.error({ err: error }, 'the Slack ingress thread failed'));
    worker.once('exit', (code) => {
      if (closing) return;
      log.warn({ code, port }, 'the Slack ingress thread ended; starting it again on the same port');
      listenOn(spawnThread(), { ...settings, port }, log).then(
        (next) => {
          current = next.worker;
          watch(next.worker);
        },
        (error: Error) => {
          log.error({ err: error.message, port }, `could not listen on PORT ${port} again; Preflight stops`);
          lost(error);
        },
      );
    });
  };
  watch(current);
  return {
    port,
    async close() {
      closing = true;
      const worker = current;
      const closed = new Promise<void>((resolve) => {
        worker.on('message', (message: IngressToBot) => message.type === 'closed' && resolve());
        worker.once('exit', () => resolve());
      });
      worker.postMessage({ type: 'close' });
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, CLOSE_MS).unref())]);
      await worker.terminate();
    },
  };
}

/** Starts the thread now, so that its modules load while the bot starts; it listens when told. */
export function prepareSlackIngress(): PreparedIngress {
  const worker = spawnThread();
  // A thread that fails while it loads is said when it is asked to listen, never as an unhandled 'error' before.
  let failed: Error | undefined;
  const early = (error: Error) => {
    failed = error;
  };
  worker.once('error', early);
  let ended: number | undefined;
  worker.once('exit', (code) => {
    ended = code;
  });
  return {
    async listen(settings, log, lost) {
      worker.off('error', early);
      if (failed) throw failed;
      if (ended !== undefined)
        throw new IngressFailed(`the ingress thread ended before it listened (exit code ${ended})`);
      return keep(await listenOn(worker, settings, log), settings, log, lost);
    },
    discard: () => void worker.terminate(),
  };
}
