/**
 * Four eyes at `/deploy start`: when the requester is the only approver of a gate (here Dave, the one security
 * approver, allowed to deploy), their own approval would not count and the gate could never pass. The start is
 * refused at once, privately, naming who may start it instead; no deployment is made and no lock is held.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { copySandbox, type SandboxCopy } from '../helpers/sandbox-copy.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';

const ALICE = 'U0ALICE01';
const DAVE = 'U0DAVE001';

let redis: TestRedis;
let sandbox: SandboxCopy;
let h: SlackHarness;

beforeAll(async () => {
  redis = await startTestRedis();
  sandbox = await copySandbox();
  const path = join(sandbox.dir, 'runbook.yaml');
  const doc = parseDocument(await readFile(path, 'utf8'));
  doc.setIn(['permissions', 'deploy'], ['devops', 'security']);
  await writeFile(path, doc.toString());
  h = await startSlackHarness({ redisUrl: redis.url, runbookPath: path });
});
afterAll(async () => {
  await h?.stop();
  await sandbox?.remove();
  await redis?.stop();
});

describe('a requester who is the only approver of a gate', () => {
  it('is refused at /deploy start, told who may start it, and the service stays free', async () => {
    const start = await h.command(DAVE, '/deploy start toy v1.3.0');
    expect(start.status).toBe(200);
    const answer = await h.waitFor('the answer to Dave', () =>
      h.fake.responses.find((r) => r.tag === start.tag),
    );
    expect(answer.body).toMatchObject({
      response_type: 'ephemeral',
      text: '⚠️ you cannot start this toy deployment: the Security sign-off gate needs 1 approval from its approvers (gates.security), and as the requester yours would not count, so it could never pass; ask Alice Adams (DevOps on-call) or Bob Brown (DevOps on-call) or Carol Chen (Team lead) to start it',
    });
    expect(await h.preflight.engine.store.get('toy-1')).toBeUndefined();
    expect(h.fake.messages.filter((m) => m.channel === DEPLOY_CHANNEL)).toEqual([]);

    // Someone else starts it at once: nothing was left holding toy production.
    await h.command(ALICE, '/deploy start toy v1.3.0');
    const d = await h.waitForState('toy-1', ['checklist', 'awaiting_gates']);
    expect(d.requestedBy).toBe('alice');
  }, 60_000);
});
