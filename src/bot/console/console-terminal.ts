/** The terminal under the console: lines in, transcript out; in a TTY a prompt that bot output does not garble. */
import { clearLine, createInterface, cursorTo } from 'node:readline';

/** Lines in and transcript out, on a TTY or a pipe. */
export interface ConsoleTerminal {
  /** Prints one transcript line (above the prompt when one is shown). */
  write(line: string): void;
  /** The lines typed or piped in; ends with the input (Ctrl-D, end of script) or `close()`. */
  readonly lines: AsyncIterable<string>;
  /** Shows the prompt `user> ` (interactive only). */
  prompt(user: string): void;
  close(): void;
}

/** The streams under the terminal. */
export interface ConsoleTerminalOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** A person at a TTY: prompt, line editing and history. */
  readonly interactive: boolean;
}

/**
 * Creates the terminal. When interactive, Ctrl-C on a half-typed line clears the line, as a shell does; on an
 * empty line it ends the input like Ctrl-D.
 */
export function createConsoleTerminal(options: ConsoleTerminalOptions): ConsoleTerminal {
  const { input, output, interactive } = options;
  const rl = interactive
    ? createInterface({ input, output, terminal: true, historySize: 1_000, removeHistoryDuplicates: true })
    : createInterface({ input, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
  let prompting = false;
  let closed = false;
  rl.on('close', () => {
    closed = true;
  });
  rl.on('SIGINT', () => {
    if (rl.line === '') {
      rl.close();
      return;
    }
    // Drops what was typed: a new, empty prompt.
    (rl as unknown as { line: string; cursor: number }).line = '';
    (rl as unknown as { line: string; cursor: number }).cursor = 0;
    output.write('^C\n');
    rl.prompt();
  });

  async function* lines(): AsyncGenerator<string> {
    for await (const line of rl) {
      prompting = false;
      yield line;
    }
  }

  return {
    write(line) {
      if (!prompting || closed) {
        output.write(`${line}\n`);
        return;
      }
      clearLine(output as NodeJS.WriteStream, 0);
      cursorTo(output as NodeJS.WriteStream, 0);
      output.write(`${line}\n`);
      rl.prompt(true);
    },
    lines: lines(),
    prompt(user) {
      if (!interactive || closed) return;
      rl.setPrompt(`${user}> `);
      prompting = true;
      rl.prompt();
    },
    close() {
      rl.close();
    },
  };
}
