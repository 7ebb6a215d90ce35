/**
 * Slack end to end: Slack sends what people type with `&`, `<` and `>` written as `&amp;`, `&lt;` and `&gt;` (in a
 * slash command's text and a message's). Preflight reads them back as typed, so a reason says `db & cache`, in the
 * audit log and in the thread, never `db &amp; cache`.
 */
import { expect, it } from 'vitest';
import { plainLiterals } from '../../src/core/index.ts';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(oneGateRunbook('shop'));

/** What a person reads in Slack of a message's mrkdwn: its entities shown as the characters they stand for. */
const shown = (mrkdwn: string) =>
  plainLiterals(mrkdwn).replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

it('reads a rejection reason replied in the thread as it was typed', async () => {
  const { h } = suite;
  await h.command(ANN, '/deploy start shop v1.0.0');
  await h.waitForState('shop-1', ['awaiting_gates']);
  const gate = await h.messageOf('shop-1', 'gate:go');
  await h.react(BEN, gate, 'x');
  await h.waitForState('shop-1', ['failed']);
  const root = await h.messageOf('shop-1', 'status');
  // As Slack sends "CVE-1 & CVE-2 <unpatched>" typed in the thread.
  await h.replyInThread(BEN, root, 'CVE-1 &amp; CVE-2 &lt;unpatched&gt;');

  const recorded = await h.waitFor('the reason', async () =>
    (await h.preflight.engine.store.audit('shop-1')).find((r) => r.type === 'gate.rejection_reason'),
  );
  expect(recorded.detail).toMatchObject({ reason: 'CVE-1 & CVE-2 <unpatched>' });
  const said = await h.waitFor('the reason in the thread', () =>
    h.fake.messages.find((m) => m.threadTs === root.ts && m.text.includes('CVE-1')),
  );
  expect(shown(said.text)).toContain('CVE-1 & CVE-2 <unpatched>');
});

it('reads a reason typed with a slash command as it was typed', async () => {
  const { h } = suite;
  await h.command(ANN, '/deploy start shop v1.0.1');
  await h.waitForState('shop-2', ['awaiting_gates']);
  // As Slack sends "/deploy abort shop-2 db & cache > 5s".
  const { tag } = await h.command(ANN, '/deploy abort shop-2 db &amp; cache &gt; 5s');
  await h.waitFor('the answer', () => h.fake.responses.find((r) => r.tag === tag));
  await h.waitForState('shop-2', ['aborted']);
  const aborted = (await h.preflight.engine.store.audit('shop-2')).find(
    (r) => r.type === 'deployment.aborted',
  );
  expect(plainLiterals(String(aborted?.detail.outcome))).toBe('aborted by Ann: db & cache > 5s');
});
