/**
 * Text from outside (what a person typed, an alert's words) shows as written on every platform: no link, heading,
 * bold or spoiler is made of it. Preflight's own formatting, links and mentions around it still work.
 */
import { describe, expect, it } from 'vitest';
import { createConsoleChat } from '../../../src/bot/console/console-chat.ts';
import { toDiscordMarkdown } from '../../../src/bot/discord/discord-message.ts';
import { outputBlock } from '../../../src/bot/render/format.ts';
import { renderGate } from '../../../src/bot/render/render-gates.ts';
import { renderReport } from '../../../src/bot/render/render-report.ts';
import { renderStatus } from '../../../src/bot/render/render-status.ts';
import { expandMentions } from '../../../src/bot/send/expand-mentions.ts';
import { buildSlackMessage } from '../../../src/bot/slack/slack-blocks.ts';
import { toSlackMrkdwn } from '../../../src/bot/slack/slack-mrkdwn.ts';
import { type ChatPort, literal } from '../../../src/core/index.ts';
import { discordLinks, discordShows, slackLinks, slackShows } from '../../helpers/chat-markup.ts';
import { Driver, testRunbook } from '../../helpers/deployment-fixture.ts';

const TITLE =
  '[toy-1 thread](https://evil.example/x) **b** ||s|| *bold* _it_ ~~st~~ `code` a<b&c>d <#42> @here';
const NOTE = 'fixed\n# H1\n> quote\n- item\n1. one\n-# small\n```\nfence';
const TEXT = [
  `🚨 *INC-1* toy production: ${literal(TITLE)}`,
  `Resolved: ${literal(NOTE)}`,
  'Roll back: `/rollback toy-1`, thread [INC-1 thread](https://discord.com/channels/1/2)',
].join('\n');

describe('text from outside in a message', () => {
  it('shows as written on Discord, while Preflight’s bold and thread link still render', () => {
    const markdown = toDiscordMarkdown(TEXT);
    expect(markdown.startsWith('🚨 **INC-1** toy production: ')).toBe(true);
    expect(discordLinks(markdown)).toEqual(['https://discord.com/channels/1/2']);
    // @here gets a zero-width space: Discord draws none of it as a mention.
    expect(discordShows(markdown)).toContain(TITLE.replace('@here', '@\u200bhere'));
    expect(discordShows(markdown)).toContain(NOTE);
    for (const markup of ['**b**', '||s||', '*bold*', '`code`', '\n# H1', '\n> quote', '\n- item'])
      expect(markdown).not.toContain(markup);
    expect(markdown).toContain(' a\\<b&c>d \\<#42> @\u200bhere');
    expect(markdown).toContain('\n\\# H1\n\\> quote\n\\- item\n1\\. one\n\\-# small\n\\`\\`\\`\nfence');
  });

  it('shows as written on Slack, while Preflight’s bold and thread link still render', () => {
    const { blocks } = buildSlackMessage({ text: TEXT }, { overflow: 'cut' });
    const mrkdwn = blocks.map((b) => (b.type === 'section' ? (b.text?.text ?? '') : '')).join('\n');
    expect(mrkdwn.startsWith('🚨 *INC-1* toy production: ')).toBe(true);
    expect(slackLinks(mrkdwn)).toEqual(['https://discord.com/channels/1/2']);
    expect(slackShows(mrkdwn)).toContain(TITLE);
    expect(slackShows(mrkdwn)).toContain(NOTE);
    // Slack has no escape character: each run of formatting characters is a date token's plain fallback text.
    expect(mrkdwn).toContain('<!date^00000000^{_}|**>b<!date^00000000^{_}|**>');
    expect(mrkdwn).toContain(' <!date^00000000^{_}|_>it<!date^00000000^{_}|_> ');
    for (const markup of ['*bold*', '~~st~~', '~st~', '`code`', '<#42>', '<!here>', '\n&gt; quote'])
      expect(mrkdwn).not.toContain(markup);
  });

  it('shows as written in the terminal, where Preflight’s bold is still bold', async () => {
    const lines: string[] = [];
    const chat = createConsoleChat({
      write: (l) => lines.push(l),
      color: false,
      now: () => 0,
      nextId: async () => 1,
    });
    await chat.port.post('#incident-response', { text: TEXT });
    const shown = lines.join('\n');
    expect(shown).toContain(`🚨 INC-1 toy production: ${TITLE}`);
    expect(shown).toContain(NOTE.split('\n').join('\n    '));
    expect(shown).toContain('Roll back: `/rollback toy-1`');
  });

  it('never becomes a mention or a thread link, though it reads like one', () => {
    const port = {
      userIdOf: (_id: string, person?: { slack?: string }) => person?.slack,
      mention: (userId: string | undefined, name: string) => (userId ? `<@${userId}>` : name),
    } as unknown as ChatPort;
    const text = `paged @{ann}: ${literal('ask @{ann} in #{channel|#ops}')}`;
    const expanded = expandMentions({ text }, { people: { ann: { name: 'Ann', slack: 'U0ANN0001' } } }, port);
    expect(toSlackMrkdwn(expanded.text)).toBe('paged <@U0ANN0001>: ask @{ann} in #{channel|#ops}');
  });
});

describe('a reason typed into a deployment', () => {
  const REASON = 'see [the fix](https://evil.example/x) **now**';
  const shownEverywhere = (text: string) => {
    expect(discordLinks(toDiscordMarkdown(text))).toEqual([]);
    expect(discordShows(toDiscordMarkdown(text))).toContain(REASON);
    expect(slackLinks(toSlackMrkdwn(text))).toEqual([]);
    expect(slackShows(toSlackMrkdwn(text))).toContain(REASON);
  };

  it('shows as written in the gate it rejected', () => {
    const d = new Driver(testRunbook());
    d.apply({ type: 'checklist.result', item: 'auto', passed: true, detail: 'exit 0' });
    d.apply({ type: 'checklist.tick', item: 'tick-me', by: 'ben' });
    d.apply({ type: 'gate.reject', gate: 'security', by: 'dan', reason: REASON });
    const text = renderGate({ deployment: d.deployment, runbook: d.runbook, now: d.now }, 'security').text;
    expect(text).toMatch(/^❌ \*security\* gate rejected by @\{dan\}: /);
    shownEverywhere(text);
  });

  it('shows as written in the status and the report of the deployment it aborted', () => {
    const d = new Driver(testRunbook());
    d.apply({ type: 'abort', by: 'ann', emergency: false, reason: REASON });
    const ctx = { deployment: d.deployment, runbook: d.runbook, now: d.now };
    shownEverywhere(renderStatus(ctx).text);
    shownEverywhere(renderReport(ctx, d.deployment.state).text);
  });
});

describe('a step’s output with a code fence in it', () => {
  const PRINTED = 'diff:\n```\n**bold** [site](https://evil.example/x) ||s||\n```\ndone';
  const text = `✅ Step 1 *build* succeeded${outputBlock(PRINTED, 'toy-1-build-1.log').text}`;
  const codeOf = (markup: string) => markup.split('```').filter((_p, i) => i % 2 === 1);
  const proseOf = (markup: string) =>
    markup
      .split('```')
      .filter((_p, i) => i % 2 === 0)
      .join('\n');

  it('stays in one code block on Discord, its markup shown as printed', () => {
    const markdown = toDiscordMarkdown(text);
    expect(codeOf(markdown)).toHaveLength(1);
    expect(discordLinks(proseOf(markdown))).toEqual([]);
    expect(markdown).toContain('**bold** [site](https://evil.example/x) ||s||');
    expect(markdown.replaceAll('\u200b', '')).toContain(PRINTED);
  });

  it('stays in one code block on Slack, its markup shown as printed', () => {
    const mrkdwn = toSlackMrkdwn(text);
    expect(codeOf(mrkdwn)).toHaveLength(1);
    expect(slackLinks(proseOf(mrkdwn))).toEqual([]);
    expect(mrkdwn).toContain('**bold** [site](https://evil.example/x) ||s||');
  });

  it('is kept as printed in the attached file when it is long', () => {
    const long = `${'line\n'.repeat(20)}${PRINTED}`;
    const block = outputBlock(long, 'toy-1-build-1.log');
    expect(block.attachment?.content).toBe(long.trimEnd());
    expect(codeOf(toDiscordMarkdown(block.text))).toHaveLength(1);
  });
});
