/** A raw TCP client that sends an HTTP request as slowly as it likes: part of it, then a byte now and then. */
import { connect, type Socket } from 'node:net';

export interface SlowClient {
  readonly socket: Socket;
  /** Everything the server sent, once it closed the connection. */
  readonly closed: Promise<string>;
  /** Everything the server has sent so far. */
  received(): string;
  /** Sends `byte` every `everyMs` until the server closes the connection. */
  trickle(byte: string, everyMs: number): void;
}

/** Connects to 127.0.0.1:`port` and sends `start` (nothing when empty). */
export async function openSlowClient(port: number, start: string): Promise<SlowClient> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let received = '';
  let timer: NodeJS.Timeout | undefined;
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('utf8');
  });
  // A reset when the server closes while this side still writes is part of being cut off.
  socket.on('error', () => {});
  const closed = new Promise<string>((resolve) =>
    socket.once('close', () => {
      clearInterval(timer);
      resolve(received);
    }),
  );
  if (start) socket.write(start);
  return {
    socket,
    closed,
    received: () => received,
    trickle(byte, everyMs) {
      timer = setInterval(() => {
        if (socket.writable) socket.write(byte);
      }, everyMs);
    },
  };
}

/** `promise`, or an error naming `what` when it has not settled after `ms` (a hang, not a measure of speed). */
export function settlesWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still going after ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
