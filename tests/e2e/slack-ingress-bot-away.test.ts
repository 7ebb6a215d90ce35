/**
 * The bot's own server behind the ingress thread goes away (it restarts) while Slack's request is on its way to it:
 * Slack is answered 503 at once, never left waiting; a click the bot had taken before its connection was cut counts
 * once when made again. A ✅ does not need the bot's server: the thread records it and answers 200.
 */
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../helpers/fake-slack-api.ts';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { settlesWithin } from '../helpers/slow-client.ts';

const suite = useSlackSuite(oneGateRunbook('away'), { ingress: true });
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

describe('the bot’s server away', () => {
  it('answers 503 and says so in the bot’s log once, naming what to look at, not the query', async () => {
    const internal = (h.http.server.address() as AddressInfo).port;
    const said = () => h.logs.filter((l) => l.includes("could not reach Preflight's own server"));
    await h.http.close();
    try {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => fetch(`${h.base}/healthz?token=xoxp-s3cr3t-quer7`)),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(503));
      await h.waitFor('the line about the bot’s server', () => said().length > 0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(said()).toHaveLength(1);
      const line = JSON.parse(said()[0] ?? '{}') as Record<string, unknown>;
      expect(line).toMatchObject({ level: 40, thread: 'slack-ingress', path: '/healthz', port: internal });
      expect(line.msg).toMatch(
        new RegExp(
          `^the Slack ingress thread could not reach Preflight's own server on 127\\.0\\.0\\.1:${internal} \\(ECONNREFUSED\\) and answered 503: unless Preflight is stopping or restarting, look in this log for why that server stopped`,
        ),
      );
      expect(h.logs.filter((l) => l.includes('s3cr3t'))).toEqual([]);
    } finally {
      await h.http.listen(internal, '127.0.0.1');
    }
  });
});

describe('the bot’s server away while a click is passed on', () => {
  it('answers 503 at once, and the click made again approves once', async () => {
    await h.command(ANN, '/deploy start away v1.0.0');
    const gate: FakeMessage = await h.messageOf('away-1', 'gate:go');
    const asPosted = structuredClone(gate);
    const internal = (h.http.server.address() as AddressInfo).port;
    const admin = new Redis(suite.redis.url);
    try {
      // The bot is recording the click (its writes wait) when its server closes every connection.
      await admin.call('CLIENT', 'PAUSE', '1000', 'WRITE');
      const first = h.click(BEN, gate, 'gate.approve');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await h.http.close();
      const answer = await settlesWithin(first, 2_000, 'the answer while the bot’s server is away');
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.body)).toEqual({
        error:
          'Preflight is stopping or restarting and cannot take this request now; send it again in a moment',
      });
    } finally {
      admin.disconnect();
      await h.http.listen(internal, '127.0.0.1');
    }
    // Taken before the cut: applied…
    const d = await h.waitForState('away-1', ['succeeded']);
    expect(d.gates[0]?.approvals.map((a) => a.by)).toEqual(['ben']);
    // …and Ben's second click, on the message as his Slack still showed it (its buttons since taken off), changes
    // nothing.
    expect((await h.click(BEN, asPosted, 'gate.approve')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const approvals = (await h.preflight.engine.store.audit('away-1')).filter(
      (r) => r.type === 'gate.approval' || r.type === 'gate.approved',
    );
    expect(approvals).toHaveLength(1);
  });
});

describe('the bot’s server away while a ✅ comes in', () => {
  it('records the ✅ in the ingress thread and answers 200; the approval applies once, and Slack’s redelivery changes nothing', async () => {
    await h.command(ANN, '/deploy start away v1.0.0');
    const gate: FakeMessage = await h.messageOf('away-2', 'gate:go');
    const internal = (h.http.server.address() as AddressInfo).port;
    await h.http.close();
    try {
      const answer = await h.react(BEN, gate, 'white_check_mark', { eventId: 'Ev0AWAY00002' });
      expect(answer.status).toBe(200);
      expect(answer.body).toBe('');
    } finally {
      await h.http.listen(internal, '127.0.0.1');
    }
    const d = await h.waitForState('away-2', ['succeeded']);
    expect(d.gates[0]?.approvals.map((a) => a.by)).toEqual(['ben']);
    const again = await h.react(BEN, gate, 'white_check_mark', { eventId: 'Ev0AWAY00002', retryNum: 1 });
    expect(again.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const approvals = (await h.preflight.engine.store.audit('away-2')).filter(
      (r) => r.type === 'gate.approval' || r.type === 'gate.approved',
    );
    expect(approvals).toHaveLength(1);
  });
});
