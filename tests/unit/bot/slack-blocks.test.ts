import { describe, expect, it } from 'vitest';
import { createChannelPacer } from '../../../src/bot/slack/channel-pacer.ts';
import {
  actionOf,
  buildSlackMessage,
  INLINE_LIMIT,
  SECTION_LIMIT,
} from '../../../src/bot/slack/slack-blocks.ts';
import { toChatSendError } from '../../../src/bot/slack/slack-errors.ts';
import { chunkMrkdwn, escapeSlackText, toSlackMrkdwn } from '../../../src/bot/slack/slack-mrkdwn.ts';
import { canonicalEmoji } from '../../../src/bot/slack/slack-reaction-record.ts';
import { createRedactor } from '../../../src/core/index.ts';

describe('Slack mrkdwn', () => {
  it('escapes &, < and > but keeps user and channel mentions', () => {
    expect(escapeSlackText('a < b && c > d <@U0ALICE01> <#C0DEPLOY1|deployments> <!channel>')).toBe(
      'a &lt; b &amp;&amp; c &gt; d <@U0ALICE01> <#C0DEPLOY1|deployments> &lt;!channel&gt;',
    );
  });

  it('keeps Preflight markup that Slack already reads and converts Markdown habits', () => {
    expect(toSlackMrkdwn('*bold* _it_ `code` ~gone~')).toBe('*bold* _it_ `code` ~gone~');
    expect(toSlackMrkdwn('**bold** ~~old~~ [runbook](https://example.com/a|b)\n## Title')).toBe(
      '*bold* ~old~ <https://example.com/a%7Cb|runbook>\n*Title*',
    );
  });

  it('leaves code alone except for escaping, and drops a fence language Slack would show', () => {
    expect(toSlackMrkdwn('run:\n```yaml\na: **b** <x>\n```\nand `**c** & d`')).toBe(
      'run:\n```\na: **b** &lt;x&gt;\n```\nand `**c** &amp; d`',
    );
  });

  it('cuts long text at line ends, closing and reopening a code block across the cut', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i} ${'x'.repeat(20)}`);
    const text = `intro\n\`\`\`\n${lines.join('\n')}\n\`\`\`\noutro`;
    const chunks = chunkMrkdwn(text, 200);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(200);
      expect(chunk.split('```').length % 2).toBe(1);
    }
    const rejoined = chunks.join('\n').replaceAll('\n```\n```\n', '\n');
    expect(rejoined).toBe(text);
  });

  it('hard-splits a line longer than a section without breaking an escape', () => {
    const text = `${'a'.repeat(195)}&amp;${'b'.repeat(300)}`;
    const chunks = chunkMrkdwn(text, 200);
    expect(chunks.join('')).toBe(text);
    expect(chunks.every((c) => c.length <= 200 && !/&am?p?$/.test(c))).toBe(true);
  });
});

describe('Slack messages', () => {
  it('builds a section and an actions block whose action ids are our ButtonActions', () => {
    const built = buildSlackMessage(
      {
        text: '🔐 *Security* gate <@U0DAVE001>',
        buttons: [
          { action: 'gate.approve', label: 'Approve', value: 'toy-1:security', style: 'primary' },
          { action: 'gate.reject', label: 'Reject', value: 'toy-1:security', style: 'danger' },
        ],
      },
      { overflow: 'file' },
    );
    expect(built).toEqual({
      text: '🔐 *Security* gate <@U0DAVE001>',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '🔐 *Security* gate <@U0DAVE001>' } },
        {
          type: 'actions',
          block_id: 'preflight.actions.0',
          elements: [
            {
              type: 'button',
              action_id: 'gate.approve',
              text: { type: 'plain_text', text: 'Approve', emoji: true },
              value: 'toy-1:security',
              style: 'primary',
            },
            {
              type: 'button',
              action_id: 'gate.reject',
              text: { type: 'plain_text', text: 'Reject', emoji: true },
              value: 'toy-1:security',
              style: 'danger',
            },
          ],
        },
      ],
      files: [],
    });
  });

  it('keeps action ids unique when one action repeats, and reads them back', () => {
    const built = buildSlackMessage(
      {
        text: 'Decide',
        buttons: ['retry', 'skip', 'rollback'].map((c) => ({
          action: 'decide' as const,
          label: c,
          value: `d:${c}`,
        })),
      },
      { overflow: 'file' },
    );
    const ids = (built.blocks[1] as { elements: { action_id: string }[] }).elements.map((e) => e.action_id);
    expect(ids).toEqual(['decide', 'decide#1', 'decide#2']);
    expect(ids.map(actionOf)).toEqual(['decide', 'decide', 'decide']);
  });

  it('splits text over several sections, and moves very long text into a file instead of cutting it', () => {
    const medium = buildSlackMessage({ text: 'word '.repeat(1_500) }, { overflow: 'file' });
    expect(medium.blocks.length).toBeGreaterThan(2);
    expect(medium.files).toEqual([]);
    expect(medium.text.length).toBeLessThanOrEqual(3_000);

    const text = Array.from({ length: 2_000 }, (_, i) => `output line ${i}`).join('\n');
    const long = buildSlackMessage(
      { text, attachment: { name: 'step.log', content: 'log' } },
      { overflow: 'file' },
    );
    const sections = long.blocks.map((b) => (b as { text: { text: string } }).text.text);
    expect(sections.every((s) => s.length <= SECTION_LIMIT)).toBe(true);
    expect(sections.slice(0, -1).join('').length).toBeLessThanOrEqual(INLINE_LIMIT);
    expect(sections.at(-1)).toMatch(/^_… \d+ more characters: the whole message is in message.txt below._$/);
    expect(long.files).toEqual([
      { name: 'step.log', content: 'log' },
      { name: 'message.txt', content: text },
    ]);
    const reply = buildSlackMessage({ text: 'y'.repeat(200_000) }, { overflow: 'cut' });
    expect(reply.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(reply.blocks.at(-1))).toContain('more characters not shown');
  });

  it('reads emoji with skin tones as the plain emoji', () => {
    expect(canonicalEmoji('white_check_mark::skin-tone-4')).toBe('white_check_mark');
    expect(canonicalEmoji('x')).toBe('x');
  });
});

describe('Slack errors for the send queue', () => {
  it('turns a 429 into rate-limited with its Retry-After, 5xx and network errors into retry', () => {
    const limited = toChatSendError({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 }, 'post');
    expect([limited.kind, limited.retryAfterMs]).toEqual(['rate-limited', 7_000]);
    expect(toChatSendError({ code: 'slack_webapi_http_error', statusCode: 503 }, 'post').kind).toBe('retry');
    expect(toChatSendError({ code: 'slack_webapi_request_error', message: 'ECONNRESET' }, 'post').kind).toBe(
      'retry',
    );
    expect(
      toChatSendError({ code: 'slack_webapi_platform_error', data: { error: 'internal_error' } }, 'x').kind,
    ).toBe('retry');
  });

  it('tells a channel that refuses Preflight from other permanent failures, saying what to do', () => {
    const notIn = toChatSendError(
      { code: 'slack_webapi_platform_error', data: { error: 'not_in_channel' } },
      'post to #ops',
    );
    expect(notIn.kind).toBe('refused');
    for (const error of ['channel_not_found', 'is_archived', 'restricted_action'])
      expect(toChatSendError({ code: 'slack_webapi_platform_error', data: { error } }, 'post').kind).toBe(
        'refused',
      );
    expect(notIn.message).toBe(
      'cannot post to #ops: Slack answered not_in_channel; Preflight is not a member of that channel: invite it there with /invite @Preflight',
    );
    const scope = toChatSendError(
      { code: 'slack_webapi_platform_error', data: { error: 'missing_scope', needed: 'files:write' } },
      'upload x.log',
    );
    expect(scope.message).toContain(
      'lacks the files:write scope: add it under OAuth & Permissions → Bot Token Scopes',
    );
    expect(scope.kind).toBe('retry');
    const wrongToken = toChatSendError(
      { code: 'slack_webapi_platform_error', data: { error: 'not_allowed_token_type' } },
      'post to #ops',
    );
    expect(wrongToken.kind).toBe('retry');
    expect(wrongToken.message).toContain('SLACK_BOT_TOKEN is not a bot token');
    // Shown and logged through the redactor: what to set it to is no token's value, so it stays.
    expect(createRedactor({ secrets: [] }).redact(wrongToken.message)).toContain(
      'set it to the Bot User OAuth Token (xoxb-…, OAuth & Permissions) and restart Preflight',
    );
    const noPermission = toChatSendError(
      { code: 'slack_webapi_platform_error', data: { error: 'no_permission' } },
      'post to #ops',
    );
    expect(noPermission.kind).toBe('retry');
    expect(noPermission.message).toContain('check the app’s Bot Token Scopes against slack-manifest.yaml');
  });
});

describe('channel pacer', () => {
  it('spaces calls to one channel by the minimum gap and leaves other channels alone', async () => {
    let clock = 0;
    const waits: number[] = [];
    const pacer = createChannelPacer({
      minGapMs: 1_000,
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    await pacer.turn('C1', 'post');
    clock += 990;
    await pacer.turn('C1', 'post');
    await pacer.turn('C2', 'post');
    clock += 2_000;
    await pacer.turn('C1', 'post');
    expect(waits).toEqual([10]);
  });

  it('spaces edits of a channel on their own gap, so an edit never delays a post nor a post an edit', async () => {
    let clock = 0;
    const waits: number[] = [];
    const pacer = createChannelPacer({
      minGapMs: 1_000,
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    await pacer.turn('C1', 'edit');
    await pacer.turn('C1', 'post');
    expect(waits).toEqual([]);
    clock += 10;
    await pacer.turn('C1', 'edit');
    expect(waits).toEqual([990]);
    // The post's own gap ran out while the second edit waited.
    await pacer.turn('C1', 'post');
    expect(waits).toEqual([990]);
  });
});
