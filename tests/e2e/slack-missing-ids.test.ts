/**
 * Signed Slack requests without the ids Preflight keys and names them by (a slash command's trigger_id and user_id,
 * an event's event_id, a reaction's user, a click's user) are refused with 400 over HTTP, as in Socket Mode: none
 * reaches the inbox, so no two of them are taken for one request (the second lost), and no refusal of a person
 * `slack:undefined` is written to the append-only audit log.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL, type FakeMessage } from '../helpers/fake-slack-api.ts';
import { eventCallback, FORM, reactionEvent, slashCommand } from '../helpers/signed-slack.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSandbox } from '../helpers/slack-sandbox.ts';

const ALICE = 'U0ALICE01';
const READ = 'not a Slack request Preflight can read';

const harness = useSlackSandbox();
let h: SlackHarness;
beforeAll(() => {
  h = harness();
});

/** A slash command form without `field`. */
function commandWithout(field: string, text: string) {
  const form = new URLSearchParams(
    slashCommand({
      user: ALICE,
      command: '/deploy',
      text,
      channel: DEPLOY_CHANNEL,
      responseUrl: h.fake.responseUrl(`no-${field}`),
      triggerId: `trigger-no-${field}`,
    }).body,
  );
  form.delete(field);
  return { body: form.toString(), contentType: FORM };
}

describe('signed Slack requests without their ids', () => {
  it('are refused with 400 saying which id is missing, and none is recorded or audited', async () => {
    await h.command(ALICE, '/deploy start toy v1.3.0');
    const root = await h.waitFor('the status message', () =>
      h.fake.messages.find((m) => m.channel === DEPLOY_CHANNEL && !m.threadTs && m.text.includes('toy-1')),
    );
    const item = (await h.waitFor('a checklist item', () =>
      h.fake.messages.find((m) => m.threadTs === root.ts && m.text.includes('☐ *Release notes reviewed*')),
    )) as FakeMessage;
    const reaction = reactionEvent({
      user: ALICE,
      channel: DEPLOY_CHANNEL,
      ts: item.ts,
      emoji: 'white_check_mark',
    });
    const { user: _user, ...noUser } = reaction;
    const withoutEventId = JSON.parse(eventCallback(reaction, 'Ev-unused').body) as Record<string, unknown>;
    delete withoutEventId.event_id;
    const click = {
      type: 'block_actions',
      actions: [
        { type: 'button', action_id: 'gate.approve', value: 'toy-1:operations', action_ts: '1.000001' },
      ],
      channel: { id: DEPLOY_CHANNEL },
    };

    const cases: [string, { body: string; contentType: string }, string][] = [
      ['no trigger_id', commandWithout('trigger_id', 'status toy-1'), 'a slash command without trigger_id'],
      ['no user_id', commandWithout('user_id', 'abort toy-1'), 'a slash command without user_id'],
      ['no user', eventCallback(noUser, 'Ev-no-user'), 'a reaction_added event without the id of its user'],
      [
        'a numeric user',
        eventCallback({ ...reaction, user: 123 }, 'Ev-number-user'),
        'a reaction_added event without the id of its user',
      ],
      [
        'no event_id',
        { body: JSON.stringify(withoutEventId), contentType: 'application/json' },
        'an event callback without its event_id',
      ],
      [
        'a click without its user',
        { body: new URLSearchParams({ payload: JSON.stringify(click) }).toString(), contentType: FORM },
        'a block_actions payload without the id of its user',
      ],
    ];
    const answers = [];
    for (const [, request] of cases) answers.push(await h.send(request));
    expect(answers.map((a) => [a.status, a.body])).toEqual(
      cases.map(([, , why]) => [400, `${READ}: ${why}`]),
    );

    // A whole request still works afterwards, and nothing of the refused ones was recorded or answered.
    await h.react('U0BOB0001', item, 'white_check_mark');
    await h.waitFor('Bob’s tick', async () =>
      (await h.preflight.engine.store.audit('toy-1')).some((r) => r.type === 'checklist.ticked'),
    );
    const audit = await h.preflight.engine.store.audit('toy-1');
    expect(audit.filter((r) => r.type === 'access.refused').map((r) => r.actor)).toEqual([]);
    expect(audit.filter((r) => r.type === 'checklist.ticked').map((r) => r.actor)).toEqual(['bob']);
    expect(h.fake.calls.filter((c) => c.method === 'chat.postEphemeral')).toEqual([]);
    expect(h.fake.responses.filter((r) => r.tag.startsWith('no-'))).toEqual([]);
  }, 60_000);
});
