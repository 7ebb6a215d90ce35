import { describe, expect, it } from 'vitest';
import type { ConsoleInput } from '../../../src/bot/console/console-input.ts';
import type { ConsoleTerminal } from '../../../src/bot/console/console-terminal.ts';
import { runConsole } from '../../../src/bot/console/run-console.ts';

function fakes(script: string[], failOn?: string) {
  const written: string[] = [];
  const handled: string[] = [];
  let closed = false;
  const terminal: ConsoleTerminal = {
    write: (line) => written.push(line),
    lines: (async function* () {
      yield* script;
    })(),
    prompt: () => {},
    close: () => {
      closed = true;
    },
  };
  const input: ConsoleInput = {
    user: () => 'alice',
    handle: async (line) => {
      handled.push(line);
      return line !== failOn;
    },
  };
  return { terminal, input, written, handled, closed: () => closed };
}

describe('runConsole with a script', () => {
  it('runs every line, then returns 0 once Preflight stays settled for the settle time', async () => {
    const f = fakes(['/deploy start toy v1.3.0', 'wait last monitoring']);
    const answers = [false, false, true, false, true, true, true, true];
    let polls = 0;
    const code = await runConsole({
      terminal: f.terminal,
      input: f.input,
      interactive: false,
      settled: async () => answers[polls++] ?? true,
      pending: async () => '',
      settleMs: 30,
      pollMs: 5,
    });
    expect(code).toBe(0);
    expect(f.handled).toEqual(['/deploy start toy v1.3.0', 'wait last monitoring']);
    expect(polls).toBeGreaterThanOrEqual(answers.length);
    expect(f.closed()).toBe(true);
  });

  it('stops at the first failed line and returns 1', async () => {
    const f = fakes(['/deploy status', 'bad line', '/deploy status'], 'bad line');
    const code = await runConsole({
      terminal: f.terminal,
      input: f.input,
      interactive: false,
      settled: async () => true,
      pending: async () => '',
    });
    expect(code).toBe(1);
    expect(f.handled).toEqual(['/deploy status', 'bad line']);
  });

  it('returns 1 and says what is pending when Preflight never settles', async () => {
    const f = fakes([]);
    const code = await runConsole({
      terminal: f.terminal,
      input: f.input,
      interactive: false,
      settled: async () => false,
      pending: async () => 'toy-1 running (step migrate running)',
      pollMs: 5,
      settleTimeoutMs: 40,
    });
    expect(code).toBe(1);
    expect(f.written).toEqual([
      '✗ the script ended, but Preflight was still busy 0s later: toy-1 running (step migrate running)',
    ]);
  });

  it('returns 130 when stopped by a signal', async () => {
    const f = fakes([]);
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 20);
    const code = await runConsole({
      terminal: f.terminal,
      input: f.input,
      interactive: false,
      settled: async () => false,
      pending: async () => '',
      signal: stop.signal,
      pollMs: 5,
    });
    expect(code).toBe(130);
  });
});
