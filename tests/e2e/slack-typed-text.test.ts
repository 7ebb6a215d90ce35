/**
 * Hostile words typed into every Slack command that takes free text (an abort reason, a rejection reason given as a
 * thread reply, a lock and an unlock reason, an incident's title and its resolve note) reach Slack only as literal
 * text: no `<!channel>`, mention, link, bold, strike or code fence made of them, and no credential in them, in any
 * post, edit, ephemeral message or command answer Slack received.
 */
import { describe, expect, it } from 'vitest';
import { slackLinks, slackShows, slackTextsSent } from '../helpers/chat-markup.ts';
import type { FakeMessage } from '../helpers/fake-slack-api.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const BEN = 'U0BEN0001';
const TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
const SECRET = 'hunter2-runbook-value';
/** Every kind of Slack markup a person could type, with a credential and a runbook's secret value. */
const HOSTILE = `<!channel> <!here> <@U0CAROL01> <https://evil.example/a|click> [docs](https://evil.example/b) *pwn* ~gone~ _lean_ \`\`\` breakout ${TOKEN} ${SECRET}`;
/** One word, as a quoted command word holds it, short enough to be quoted back whole in a refusal. */
const WORD = '<!here>*pwn*[x](https://evil.example)';
const OWN_LINK = /^https:\/\/example\.slack\.com\//;

const RUNBOOK = `version: 1
service: shop
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
requires: { env: [SHOP_TOKEN] }
people:
  ann: { name: Ann, slack: ${ANN} }
  ben: { name: Ben, slack: ${BEN} }
groups: { ops: [ann, ben] }
permissions: { deploy: [ops], rollback: [ops], lock: [ops] }
gates:
  go: { title: Go, approvers: [ops] }
steps:
  - { id: build, title: Build, needs: [go], run: "true" }
rollback:
  approval: { approvers: [ops], required: 1, allow_self: true }
  steps:
    - { id: undo, title: Undo, run: "true" }
escalation: { levels: [{ id: L1, notify: [ops], respond_within: 15m }] }
`;

const suite = useSlackSuite(RUNBOOK, { env: { SHOP_TOKEN: SECRET } });

/** The hostile words, shown as written: no live markup made of them, and neither credential. */
function expectNoLiveMarkup(texts: readonly string[]) {
  const all = texts.join('\n');
  expect(all).not.toContain(TOKEN);
  expect(all).not.toContain(SECRET);
  for (const sent of texts) {
    // A run of formatting characters shown as plain text is a date token's fallback: what stays outside one is live.
    const text = sent.replace(/<!date\^00000000\^\{_\}\|[^>]*>/g, '');
    expect(text).not.toMatch(/<!(channel|here|everyone)/);
    expect(text).not.toContain('<@U0CAROL01');
    expect(slackLinks(text).filter((url) => !OWN_LINK.test(url))).toEqual([]);
    for (const markup of ['*pwn*', '~gone~', '_lean_', '```']) expect(text).not.toContain(markup);
  }
}

const rootOf = (id: string): FakeMessage | undefined =>
  suite.h.fake.messages.find((m) => m.threadTs === undefined && m.text.includes(`(${id})`));
/** The Go gate's prompt in the thread of deployment `id`, with its buttons. */
const gateOf = (id: string) => () =>
  suite.h.fake.messages.find(
    (m) => m.text.includes('*Go* gate') && m.threadTs === rootOf(id)?.ts && m.blocks.length > 1,
  );

describe('words typed on Slack', () => {
  it('reach Slack as literal text, without markup or secrets, through every command that takes them', async () => {
    const { h } = suite;
    const shows: string[] = [];
    // A rejection's reason, given as the rejecter's reply in the thread.
    await h.command(ANN, '/deploy start shop v1.0.0');
    const gate = await h.waitFor('the Go gate of shop-1', gateOf('shop-1'));
    await h.react(BEN, gate, 'x');
    await h.waitForState('shop-1', ['failed']);
    const root = rootOf('shop-1');
    if (!root) throw new Error('no status message for shop-1');
    await h.replyInThread(BEN, root, HOSTILE);
    await h.waitFor('the gate message with the reason', () =>
      h.fake.message(gate.channel, gate.ts)?.text.includes('breakout'),
    );

    // An abort's reason: in the status message, the report and /deploy status.
    await h.command(ANN, '/deploy start shop v1.1.0');
    await h.waitFor('the Go gate of shop-2', gateOf('shop-2'));
    await h.command(ANN, `/deploy abort shop-2 ${HOSTILE}`);
    await h.waitForState('shop-2', ['aborted']);
    const report = await h.waitFor('the report of shop-2', () =>
      h.fake.messages.find((m) => m.text.includes('*Report*') && m.text.includes('(shop-2)')),
    );
    shows.push(report.text);
    const status = await h.command(ANN, '/deploy status shop-2');
    await h.waitFor('the status answer', () => h.fake.responses.find((r) => r.tag === status.tag));

    // A rollback (of a deployment whose step ran) leaves the service locked; the unlock's reason is announced.
    await h.command(ANN, '/deploy start shop v1.2.0');
    await h.react(BEN, await h.waitFor('the Go gate of shop-3', gateOf('shop-3')), 'white_check_mark');
    await h.waitForState('shop-3', ['succeeded']);
    await h.command(ANN, '/rollback shop-3');
    await h.waitForState('shop-3', ['rolled_back']);
    // How it was asked for is Preflight's own words, with its own markup: not shown as if someone had typed it.
    const rollbackMessage = await h.waitFor('the rollback message', () =>
      h.fake.messages.find((m) => m.text.includes('*Rollback* of shop-3')),
    );
    expect(rollbackMessage.text).toMatch(
      /^↩️ \*Rollback\* of shop-3 asked by <@U0ANN0001> at .+: typed `\/rollback`$/m,
    );
    const unlocked = await h.command(ANN, `/deploy unlock shop production ${HOSTILE}`);
    const unlock = await h.waitFor('the unlock', () => h.fake.responses.find((r) => r.tag === unlocked.tag));
    shows.push(String(unlock.body.text));

    // A manual lock's reason, in its announcement and in the refusal of a start while it holds.
    const locked = await h.command(ANN, `/deploy lock shop production ${HOSTILE}`);
    const lock = await h.waitFor('the lock', () => h.fake.responses.find((r) => r.tag === locked.tag));
    shows.push(String(lock.body.text));
    const refused = await h.command(ANN, '/deploy start shop v1.3.0');
    await h.waitFor('the refusal', () => h.fake.responses.find((r) => r.tag === refused.tag));
    await h.command(ANN, '/deploy unlock shop production');

    // An incident's title and its resolve note, in its post, its thread and the answers.
    const opened = await h.command(ANN, `/incident open shop ${HOSTILE}`);
    await h.waitFor('the open answer', () => h.fake.responses.find((r) => r.tag === opened.tag));
    const incident = await h.waitFor('the incident post', () =>
      h.fake.messages.find((m) => m.text.includes('*INC-1*')),
    );
    shows.push(incident.text);
    const resolved = await h.command(ANN, `/incident resolve INC-1 ${HOSTILE}`);
    await h.waitFor('the resolve answer', () => h.fake.responses.find((r) => r.tag === resolved.tag));
    const note = await h.waitFor('the resolve note', () =>
      h.fake.messages.find((m) => m.threadTs === incident.ts && m.text.includes('resolved INC-1')),
    );
    shows.push(note.text);
    const asked = await h.command(ANN, '/incident status INC-1');
    await h.waitFor('the incident status', () => h.fake.responses.find((r) => r.tag === asked.tag));

    // A refusal quotes a typed word back: a version, an environment, a service, an option.
    for (const line of [
      `/deploy start shop "${WORD}"`,
      `/deploy start shop v1.4.0 "${WORD}"`,
      `/incident open "${WORD}" broke`,
      `/incident open shop --environment="${WORD}" broke`,
      `/deploy status "${WORD}"`,
      `/deploy lock shop production --${WORD}`,
    ]) {
      const refusal = await h.command(ANN, line);
      const answer = await h.waitFor(line, () => h.fake.responses.find((r) => r.tag === refusal.tag));
      expect(slackShows(String(answer.body.text))).toContain(WORD);
    }
    await h.waitFor('everything sent', () => h.preflight.settled(), 30_000);

    expectNoLiveMarkup(slackTextsSent(suite.h.fake));
    // The words are there, as written (the credentials masked).
    for (const text of shows) expect(slackShows(text)).toContain('<!channel> <!here> @U0CAROL01 <https://');
  }, 120_000);
});
