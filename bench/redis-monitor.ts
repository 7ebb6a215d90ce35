/**
 * Redis's MONITOR read over a plain socket. ioredis's own `monitor()` marks its connection as monitoring only a
 * moment after MONITOR's `+OK` arrives: on a busy Redis the first commands seen come in the same packet, ioredis
 * takes them for replies to nothing and throws "Command queue state error", which ended the bench.
 */
import { connect } from 'node:net';

export interface MonitorLine {
  /** Redis's clock, ms since the epoch. */
  readonly at: number;
  readonly args: readonly string[];
}

export interface RedisMonitor {
  close(): void;
}

/** `"SET" "a \"b\""` → `['SET', 'a "b"']`, as Redis quotes each argument (sdscatrepr). */
function parseArgs(quoted: string): string[] {
  const args: string[] = [];
  for (const m of quoted.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
    args.push(
      (m[1] ?? '').replace(/\\(x[0-9a-f]{2}|.)/g, (_, c: string) => {
        if (c.startsWith('x') && c.length === 3) return String.fromCharCode(Number.parseInt(c.slice(1), 16));
        return ({ n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b' } as Record<string, string>)[c] ?? c;
      }),
    );
  }
  return args;
}

/** Starts MONITOR on the Redis at `url` (redis://host:port); resolves once Redis answered it. */
export function monitorRedis(url: string, onLine: (line: MonitorLine) => void): Promise<RedisMonitor> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port || 6379) });
  let buffered = '';
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.on('connect', () => socket.write('MONITOR\r\n'));
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let end = buffered.indexOf('\r\n');
      while (end >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        end = buffered.indexOf('\r\n');
        if (line === '+OK') resolve({ close: () => socket.destroy() });
        else if (line.startsWith('-')) reject(new Error(`MONITOR refused: ${line.slice(1)}`));
        else if (line.startsWith('+')) {
          const space = line.indexOf(' ');
          const quote = line.indexOf('"');
          if (space > 0 && quote > space)
            onLine({ at: Number(line.slice(1, space)) * 1000, args: parseArgs(line.slice(quote)) });
        }
      }
    });
  });
}
