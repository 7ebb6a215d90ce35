/**
 * A deployment aborted while its checklist runs: the messages that asked people to tick its manual items, and the
 * checklist summary, end up saying that nothing is asked any longer, whether they were posted before the abort
 * (edited) or after it (posted as they stand).
 */
import { describe, expect, it } from 'vitest';
import { useRedisSandbox } from '../helpers/redis-sandbox.ts';
import { runConsoleSession } from '../helpers/run-console.ts';

const world = useRedisSandbox();

const SCRIPT = `
@alice /deploy start toy v1.3.0
@alice /deploy abort changed my mind
`;

/** The transcript's messages (posted or edited), each as the terminal shows it. */
const blocks = (transcript: string): string[] => transcript.split(/\n(?=\d\d:\d\d:\d\d )/);

/** The reference (`m2`) of the checklist's summary message, which names every item too. */
function summaryRef(transcript: string): string | undefined {
  return /\[(m\d+)\] preflight\n\s+📋 Checklist \d/.exec(transcript)?.[1];
}

/** The renderings of one message: its post and its edits (`✎ m2`, which show the lines that changed). */
const renderingsOf = (transcript: string, ref: string | undefined): string[] =>
  blocks(transcript).filter(
    (b) => ref !== undefined && (b.includes(`[${ref}] preflight`) || b.includes(`✎ ${ref}\n`)),
  );

/** The last rendering of the item's own message. */
function lastSaying(transcript: string, title: string): string {
  const summary = renderingsOf(transcript, summaryRef(transcript));
  const saying = blocks(transcript).filter((b) => b.includes(title) && !summary.includes(b));
  return saying.at(-1) ?? '';
}

describe('a deployment aborted during its checklist (a real preflight console)', () => {
  it('leaves no item asking for a ✅ and no check shown as still running', async () => {
    const run = await runConsoleSession({ redisUrl: world.redis.url, dir: world.sandbox.dir }, SCRIPT);
    expect(run.stderr).toBe('');
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toContain('toy-1: deployment aborted');
    for (const title of ['Release notes reviewed', 'Support knows a deployment is under way']) {
      const last = lastSaying(run.stdout, title);
      expect(last, run.stdout).not.toContain('react ✅');
      expect(last, run.stdout).not.toContain('[Done]');
      expect(last, run.stdout).toContain('no longer needed, the deployment is aborted');
    }
    const summary = renderingsOf(run.stdout, summaryRef(run.stdout));
    expect(summary.at(-1), run.stdout).not.toContain('⏳');
    expect(summary.at(-1), run.stdout).toContain('⏹️');
  }, 120_000);
});
