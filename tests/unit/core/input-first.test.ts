import { describe, expect, it } from 'vitest';
import { holdForInput, INPUT_FIRST_MAX_MS, type UnhandledInput } from '../../../src/core/index.ts';

/** An inbox holding entries recorded at `times`. */
const inboxWith = (...times: number[]): UnhandledInput => ({
  recordedBy: async (at) => times.some((t) => t <= at),
});

describe('a timer and the chat input recorded before it came due', () => {
  const due = 1_000_000;

  it('acts at once when nothing said before its time is unhandled', async () => {
    expect(await holdForInput(inboxWith(), due, due + 5)).toBeUndefined();
    expect(await holdForInput(inboxWith(due + 1), due, due + 5)).toBeUndefined();
    expect(await holdForInput(undefined, due, due + 5)).toBeUndefined();
  });

  it('looks again later while an entry recorded before its time waits to be handled', async () => {
    const again = await holdForInput(inboxWith(due - 3_000), due, due + 5);
    expect(again).toBeGreaterThan(due + 5);
  });

  it('is held back at most a minute past its time, and acts when the inbox cannot be read', async () => {
    expect(await holdForInput(inboxWith(due - 3_000), due, due + INPUT_FIRST_MAX_MS + 1)).toBeUndefined();
    const unreadable: UnhandledInput = { recordedBy: () => Promise.reject(new Error('Redis is away')) };
    expect(await holdForInput(unreadable, due, due + 5)).toBeUndefined();
  });
});
