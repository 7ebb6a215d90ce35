/** A step's output: split into redacted lines as it arrives, with only a bounded tail kept in memory. */
import { StringDecoder } from 'node:string_decoder';
import { REDACTED, type Redactor } from '../core/index.ts';
import { plainTerminalLine } from './terminal-text.ts';

export interface StepOutputOptions {
  readonly redactor: Redactor;
  readonly onLine?: (line: string) => void;
  readonly tailLines: number;
  readonly tailBytes: number;
}

export interface StepOutput {
  /** Feeds a chunk of one stream; streams are split separately so their lines never mix. */
  write(stream: 'stdout' | 'stderr', chunk: Buffer | string): void;
  /** Adds a line of Preflight's own (not from the process). */
  note(line: string): void;
  /** Flushes unterminated last lines. */
  end(): void;
  /** The last redacted lines: at most `tailLines` lines and `tailBytes` bytes. */
  tail(): string;
}

/** Longer lines are cut, so a step printing one endless line cannot fill the heap. */
const MAX_LINE_CHARS = 16_384;
/**
 * What is read past the cut before it is made: the line is redacted first, so a secret or token that starts just
 * before the cut is whole when the redactor sees it, and no first half of it is shown.
 */
const READ_PAST_CUT = 4_096;
const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----/;
const PEM_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----/;
/** A full line of a PEM body as `openssl` (64 characters) or `ssh-keygen` (70) wraps it. */
const KEY_BODY_LINE = /^(?:[A-Za-z0-9+/]{64}|[A-Za-z0-9+/]{70})$/;
/** The last, shorter line of a PEM body. */
const KEY_LAST_LINE = /^[A-Za-z0-9+/]{1,70}={0,2}$/;

interface LineBuffer {
  readonly decoder: StringDecoder;
  partial: string;
  dropped: number;
}

function createLineBuffer(): LineBuffer {
  return { decoder: new StringDecoder('utf8'), partial: '', dropped: 0 };
}

function truncateToBytes(text: string, bytes: number): string {
  const buffer = Buffer.from(text);
  if (buffer.length <= bytes) return text;
  return `${new StringDecoder('utf8').write(buffer.subarray(0, Math.max(0, bytes - 3)))}…`;
}

/** The last lines that fit in `bytes` (newlines included); a lone last line too long for it is cut. */
function pickLast(lines: readonly string[], bytes: number): string[] {
  const picked: string[] = [];
  let used = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? '';
    const size = Buffer.byteLength(line) + (picked.length > 0 ? 1 : 0);
    if (used + size > bytes) {
      if (picked.length === 0) picked.push(truncateToBytes(line, bytes));
      break;
    }
    picked.unshift(line);
    used += size;
  }
  return picked;
}

/** Creates the collector for one step run. */
export function createStepOutput(options: StepOutputOptions): StepOutput {
  const { redactor, onLine, tailLines, tailBytes } = options;
  const buffers = { stdout: createLineBuffer(), stderr: createLineBuffer() };
  const ring: string[] = [];
  let total = 0;
  let inPrivateKey = false;
  /**
   * Lines shaped like a PEM body, held until the next line says what they are: before an END line without its
   * BEGIN (`tail -n 5 key.pem`) they are a key's and are not shown; before any other line they are shown as they
   * were. `closed`: the run ended in a shorter line, which only an END line may follow.
   */
  let held: string[] = [];
  let closed = false;

  const keep = (line: string): void => {
    total += 1;
    ring.push(truncateToBytes(line, tailBytes));
    if (ring.length > tailLines) ring.shift();
    try {
      onLine?.(line);
    } catch {
      // A failing listener must not break the step or lose the tail.
    }
  };

  /** The line redacted, then cut to MAX_LINE_CHARS when `more` characters of it go beyond. */
  const shown = (line: string, more: number): string => {
    const clean = redactor.redact(line);
    if (more <= 0) return clean;
    return `${clean.slice(0, MAX_LINE_CHARS)}… (${more.toLocaleString('en-US')} more characters)`;
  };

  const release = (): void => {
    const lines = held;
    held = [];
    closed = false;
    for (const line of lines) keep(shown(line, 0));
  };

  /** Whether the line is held as a possible key's (see `held`). */
  const hold = (line: string, more: number): boolean => {
    if (more > 0 || closed) return false;
    const full = KEY_BODY_LINE.test(line);
    if (!full && (held.length === 0 || !KEY_LAST_LINE.test(line))) return false;
    held.push(line);
    closed = !full;
    return true;
  };

  const emit = (raw: string, more = 0): void => {
    const line = plainTerminalLine(raw);
    if (!inPrivateKey) {
      if (hold(line, more)) return;
      if (held.length > 0 && PEM_END.test(line) && !PEM_BEGIN.test(line)) {
        held = [];
        closed = false;
        keep(REDACTED);
      } else release();
    }
    // A private key printed over several lines: only its BEGIN and END lines are shown.
    if (inPrivateKey) {
      if (PEM_END.test(line)) inPrivateKey = false;
      if (!inPrivateKey) keep(shown(line, more));
      return;
    }
    if (PEM_BEGIN.test(line) && !PEM_END.test(line)) inPrivateKey = true;
    keep(shown(line, more));
  };

  const flushLine = (buffer: LineBuffer): void => {
    emit(buffer.partial, buffer.partial.length + buffer.dropped - MAX_LINE_CHARS);
    buffer.partial = '';
    buffer.dropped = 0;
  };

  const append = (buffer: LineBuffer, text: string): void => {
    const room = MAX_LINE_CHARS + READ_PAST_CUT - buffer.partial.length;
    if (text.length <= room) buffer.partial += text;
    else {
      buffer.partial += text.slice(0, Math.max(0, room));
      buffer.dropped += text.length - Math.max(0, room);
    }
  };

  return {
    write(stream, chunk) {
      const buffer = buffers[stream];
      const text = typeof chunk === 'string' ? chunk : buffer.decoder.write(chunk);
      let start = 0;
      for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
        append(buffer, text.slice(start, newline));
        flushLine(buffer);
        start = newline + 1;
      }
      append(buffer, text.slice(start));
    },
    note(line) {
      release();
      keep(line);
    },
    end() {
      for (const buffer of [buffers.stdout, buffers.stderr]) {
        append(buffer, buffer.decoder.end());
        if (buffer.partial !== '' || buffer.dropped > 0) flushLine(buffer);
      }
      release();
    },
    tail() {
      release();
      const shown = pickLast(ring, tailBytes);
      if (shown.length === total) return shown.join('\n');
      // Room for the header is made first; 64 bytes holds any count.
      const fitting = pickLast(ring, tailBytes - 64);
      return [
        `… ${(total - fitting.length).toLocaleString('en-US')} earlier lines not shown`,
        ...fitting,
      ].join('\n');
    },
  };
}
