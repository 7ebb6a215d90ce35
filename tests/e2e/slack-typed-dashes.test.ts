/**
 * Slack end to end: macOS turns a typed `--` into an em dash (`—emergency`), and some keyboards into an en dash
 * (`–for=2h`). Such a word is the option it stands for, never a word of the reason: `/deploy abort —emergency`
 * is the emergency stop, and `/deploy lock shop production –for=2h freeze` a lock for two hours.
 */
import { describe, expect, it } from 'vitest';
import { plainLiterals } from '../../src/core/index.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(`${oneGateRunbook('shop')}emergency: { stop: { title: Stop, run: "true" } }\n`);

const typed = async (line: string) => {
  const { h } = suite;
  const { tag } = await h.command(ANN, line);
  const answer = await h.waitFor('the answer', () => h.fake.responses.find((r) => r.tag === tag));
  return plainLiterals(String(answer.body.text));
};

describe('an option typed with a dash macOS put for "--"', () => {
  it('is the option: an em-dashed --emergency stops in an emergency, with only the reason typed', async () => {
    const { h } = suite;
    await h.command(ANN, '/deploy start shop v1.0.0');
    await h.waitForState('shop-1', ['awaiting_gates']);

    expect(await typed('/deploy abort —emergency db on fire')).toBe(
      'shop-1: emergency stop: running steps killed, emergency stop command started.',
    );
    await h.waitForState('shop-1', ['aborted']);
    const aborted = (await h.preflight.engine.store.audit('shop-1')).find(
      (r) => r.type === 'deployment.aborted',
    );
    expect(aborted?.detail).toMatchObject({ outcome: 'emergency stop by Ann: db on fire' });
  });

  it('is a word of the reason after "--": the active deployment is aborted, not in an emergency', async () => {
    const { h } = suite;
    await h.command(ANN, '/deploy start shop v1.0.1');
    await h.waitForState('shop-2', ['awaiting_gates']);

    expect(await typed('/deploy abort -- --emergency was not needed')).toBe('shop-2: deployment aborted.');
    await h.waitForState('shop-2', ['aborted']);
    const aborted = (await h.preflight.engine.store.audit('shop-2')).find(
      (r) => r.type === 'deployment.aborted',
    );
    expect(aborted?.detail).toMatchObject({ outcome: 'aborted by Ann: --emergency was not needed' });
  });

  it('is the option: an en-dashed --for sets how long a lock holds', async () => {
    expect(await typed('/deploy lock shop production –for=2h freeze')).toMatch(
      /locked by Ann for 2h: freeze/,
    );
  });
});
