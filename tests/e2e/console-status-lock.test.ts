/**
 * `/deploy status` while a service's environment is locked by hand (`/deploy lock …`): whoever asks sees that it is
 * locked, by whom, why, until when and how to unlock it, with no deployment yet, with one finished, and about the
 * service named.
 */
import { describe, expect, it } from 'vitest';
import { useRedisSandbox } from '../helpers/redis-sandbox.ts';
import { runConsoleSession } from '../helpers/run-console.ts';

const world = useRedisSandbox();

const SCRIPT = `
@alice /deploy lock toy production db maintenance --for=2h
@erin /deploy status
@erin /deploy status toy
@alice /deploy start toy v1.3.0 staging
@alice /deploy abort
@erin /deploy status
@erin /deploy status toy-1
`;

/** `🔒 toy production is locked by Alice … until <date> <time> UTC): db maintenance. …`, as the terminal shows it. */
const LOCKED =
  /🔒 toy production is locked by Alice Adams \(DevOps on-call\) for another 2h \(until \d{4}-\d\d-\d\d \d\d:\d\d UTC\): db maintenance\. Ask them, or \/deploy unlock toy production/;

/** The answers Erin got, in order: the lines under each `→ erin (only you)`. */
function answersToErin(transcript: string): string[] {
  return transcript
    .split(/\n(?=\d\d:\d\d:\d\d )/)
    .filter((block) => /^\d\d:\d\d:\d\d → erin \(only you\)/.test(block))
    .map((block) => block.trim());
}

describe('/deploy status on a locked service (a real preflight console)', () => {
  it('says who locked it, why, until when and how to unlock it', async () => {
    const run = await runConsoleSession({ redisUrl: world.redis.url, dir: world.sandbox.dir }, SCRIPT);
    expect(run.stderr).toBe('');
    expect(run.status, run.stdout).toBe(0);
    const answers = answersToErin(run.stdout);
    expect(answers, run.stdout).toHaveLength(4);
    const [none, service, recent, finished] = answers;
    expect(none).toContain('No deployments yet.');
    expect(none).toMatch(LOCKED);
    expect(service).toContain('"toy" is a service, not a deployment');
    expect(service).toMatch(LOCKED);
    expect(recent).toContain('No deployment is active. Recent:');
    expect(recent).toMatch(LOCKED);
    expect(finished).toContain('toy-1: toy v1.3.0 → staging, aborted');
    expect(finished).toMatch(LOCKED);
  }, 120_000);
});
