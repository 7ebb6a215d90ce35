/**
 * A credential typed into a command: Slack has it, but Preflight keeps it nowhere in Redis once the command is
 * handled (the inbox keeps a handled request a day, to know a redelivery; the lock and its audit log keep the reason).
 * That holds for the runbook's own secret values too, which only the redactor knows (by value, not by shape).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readAllRedisText } from '../helpers/redis-text.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
/** The value of the runbook's `requires.env` DB_PASSWORD: nothing about its shape says it is a secret. */
const DB_PASSWORD = 'hunter2-SuperSecretDbPw';

const RUNBOOK = `version: 1
service: vault
timezone: UTC
environments: { production: { default: true }, staging: {} }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
permissions: { deploy: [ann], rollback: [ann], lock: [ann], incident: [ann] }
requires: { env: [DB_PASSWORD] }
steps:
  - { id: build, title: Build, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

const suite = useSlackSuite(RUNBOOK, { env: { DB_PASSWORD } });
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

describe('a credential typed into a command', () => {
  it('is kept nowhere in Redis once the command is handled', async () => {
    const locked = await h.command(
      ANN,
      '/deploy lock vault staging db password=hunter2zz key AKIAIOSFODNN7EXAMPLE',
    );
    expect(locked.status).toBe(200);
    await h.waitFor(
      'the lock',
      async () => (await h.preflight.engine.store.lockHolder('vault', 'staging')) ?? undefined,
    );
    await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
    await h.waitFor('the handled request masked', async () => {
      const stored = await readAllRedisText(h.preflight.redis);
      return !stored.includes('hunter2zz') && !stored.includes('AKIAIOSFODNN7EXAMPLE') ? stored : undefined;
    });
    expect(await readAllRedisText(h.preflight.redis)).toContain('db password=');
  });

  it('is kept nowhere in Redis when it is one of the runbook secret values, as an incident title or a lock reason', async () => {
    const opened = await h.command(
      ANN,
      `/incident open vault production login fails since the db password was rotated to ${DB_PASSWORD}`,
    );
    expect(opened.status).toBe(200);
    const locked = await h.command(ANN, `/deploy lock vault production rotated to ${DB_PASSWORD}`);
    expect(locked.status).toBe(200);
    const incident = await h.waitFor(
      'the incident',
      async () => (await h.preflight.engine.incidents.list({ service: 'vault' }))[0],
    );
    expect(incident.title).toBe('login fails since the db password was rotated to [REDACTED]');
    const lock = await h.waitFor(
      'the lock',
      async () => (await h.preflight.engine.store.lockHolder('vault', 'production')) ?? undefined,
    );
    expect(lock).toMatchObject({ reason: 'rotated to [REDACTED]' });
    await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
    await h.waitFor('the handled requests masked', async () => {
      const stored = await readAllRedisText(h.preflight.redis);
      return !stored.includes(DB_PASSWORD) ? stored : undefined;
    });
  });
});
