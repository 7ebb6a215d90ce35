/**
 * Slack end to end: someone not on the escalation ladder tries to acknowledge an incident every way Slack offers
 * (👀 and ✅ on its message, its Acknowledge button, /ack), as does someone the runbook does not know. Each is
 * refused to them alone; the incident stays open and L2 is paged on time; then L2's person acknowledges it.
 */
import { describe, expect, it } from 'vitest';
import { INCIDENT_CHANNEL } from '../helpers/fake-slack-methods.ts';
import { routeAlerts, shopDownAlert, shopRunbook } from '../helpers/shop-alert.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const BOB = 'U0BOB0001';
const CAT = 'U0CAT0001';
const EVE = 'U0EVE0001';

const RUNBOOK = shopRunbook({
  people: { ann: ANN, bob: BOB, cat: CAT },
  ops: ['ann', 'bob'],
  levels: ['{ id: L1, notify: [ann], respond_within: 3s }', '{ id: L2, notify: [cat], respond_within: 1h }'],
});

const suite = useSlackSuite(RUNBOOK);

describe('an acknowledgement by someone not on the escalation ladder', () => {
  it('is refused by reaction, button and /ack alike; paging goes on to L2, whose person can acknowledge', async () => {
    const { h } = suite;
    const opened = (await (await routeAlerts(h)(shopDownAlert())).json()) as { incidents: string[] };
    const id = opened.incidents[0] ?? '';
    expect(id).toBe('INC-1');
    const message = await h.waitFor('the incident message', () =>
      h.fake.messages.find((m) => m.channel === INCIDENT_CHANNEL && !m.threadTs && m.text.includes(id)),
    );
    const whispers = (user: string) =>
      h.fake.calls.filter((c) => c.method === 'chat.postEphemeral' && c.params.user === user);
    const answered = async (answer: Promise<{ tag: string }>) => {
      const { tag } = await answer;
      const found = await h.waitFor(`the answer ${tag}`, () => h.fake.responses.find((r) => r.tag === tag));
      return String(found.body.text);
    };

    for (const emoji of ['eyes', 'white_check_mark']) {
      const before = whispers(BOB).length;
      expect((await h.react(BOB, message, emoji)).status).toBe(200);
      const whisper = await h.waitFor(`the answer to Bob's ${emoji}`, () => whispers(BOB)[before]);
      expect(String(whisper.params.text)).toContain('can acknowledge it');
    }
    expect(await answered(h.click(BOB, message, 'incident.ack'))).toContain('can acknowledge it');
    expect(await answered(h.command(BOB, `/ack ${id}`))).toContain('can acknowledge it');
    expect(await answered(h.command(EVE, `/ack ${id}`))).toContain('is not among the people');
    expect((await h.preflight.engine.incidents.get(id))?.state).toBe('open');

    await h.waitFor(
      'L2 paged',
      async () => (await h.preflight.engine.incidents.get(id))?.pages.some((p) => p.levelId === 'L2'),
      20_000,
    );
    expect((await h.preflight.engine.incidents.get(id))?.state).toBe('open');
    expect(await answered(h.command(CAT, `/ack ${id}`))).toContain('acknowledged');
    const acked = await h.preflight.engine.incidents.get(id);
    expect(acked?.state).toBe('acknowledged');
    expect(acked?.ack?.by).toBe('cat');
    // Nothing public named Bob's or Eve's tries.
    const publicPosts = h.fake.calls.filter(
      (c) =>
        c.method === 'chat.postMessage' &&
        /can acknowledge it|not among the people/.test(JSON.stringify(c.params)),
    );
    expect(publicPosts).toEqual([]);
  }, 60_000);
});
