/** A script's line aimed at a message shows in the transcript after that message, as a person would have seen it. */
import { describe, expect, it } from 'vitest';
import { useRedisSandbox } from '../helpers/redis-sandbox.ts';
import { runConsoleSession } from '../helpers/run-console.ts';

const world = useRedisSandbox();

const SCRIPT = `
@alice /deploy start toy v1.3.0
@bob react last/checklist-item:release-notes ✅
@dave react last/checklist-item:security-scan ✅
@carol click last/checklist-item:support-told done
@dave react last/gate:security ✅
@erin reply last/gate:security looks fine to me
@bob react last/bogus ✅
`;

const lineOf = (out: string, pattern: RegExp): number => out.split('\n').findIndex((l) => pattern.test(l));

describe('preflight console with a script that reacts to messages still to come', () => {
  it('echoes each reaction, click and reply after the message it is aimed at; a failed wait still shows its line', async () => {
    const run = await runConsoleSession({ redisUrl: world.redis.url, dir: world.sandbox.dir }, SCRIPT);
    const out = run.stdout;
    const pairs: [RegExp, RegExp][] = [
      [
        /☐ Release notes reviewed \(Code and security\)/,
        /@bob › react last\/checklist-item:release-notes ✅/,
      ],
      [
        /☐ Dependency scan has no critical findings \(Code and security\)/,
        /@dave › react last\/checklist-item:security-scan ✅/,
      ],
      [
        /☐ Support knows a deployment is under way \(Communication\)/,
        /@carol › click last\/checklist-item:support-told done/,
      ],
      [/🔐 Security sign-off gate: 0 of 1 approvals/, /@dave › react last\/gate:security ✅/],
      [/🔐 Security sign-off gate: 0 of 1 approvals/, /@erin › reply last\/gate:security looks fine to me/],
    ];
    for (const [message, typed] of pairs) {
      const shown = lineOf(out, message);
      expect(shown, out).toBeGreaterThanOrEqual(0);
      expect(lineOf(out, typed), out).toBeGreaterThan(shown);
    }
    // A line whose message can never be posted is still shown, above what went wrong with it.
    const typed = lineOf(out, /@bob › react last\/bogus ✅/);
    expect(typed, out).toBeGreaterThanOrEqual(0);
    expect(out.split('\n')[typed + 1], out).toMatch(/✗ toy-1\/bogus: a deployment posts no "bogus" message/);
  });
});
