import { beforeAll, describe, expect, it } from 'vitest';
import { createConsoleChat } from '../../../src/bot/console/console-chat.ts';
import { ATTACHMENT_LINES } from '../../../src/bot/console/console-transcript.ts';
import { expandMentions } from '../../../src/bot/send/expand-mentions.ts';
import { type ChatMessage, createRedactor } from '../../../src/core/index.ts';

beforeAll(() => {
  process.env.TZ = 'UTC';
});

const AT = Date.UTC(2026, 0, 7, 17, 2, 3);

function chatWith(color = false) {
  const lines: string[] = [];
  let n = 0;
  const chat = createConsoleChat({
    write: (line) => lines.push(line),
    color,
    now: () => AT,
    nextId: async () => ++n,
  });
  return { chat, port: chat.port, lines, take: () => lines.splice(0) };
}

const GATE: ChatMessage = {
  text: '🔐 *Security sign-off* gate: 0 of 1 approvals\n@dave: react ✅ to approve or ❌ to reject.',
  buttons: [
    { action: 'gate.approve', label: 'Approve', value: 'toy-1:security', style: 'primary' },
    { action: 'gate.reject', label: 'Reject', value: 'toy-1:security', style: 'danger' },
  ],
};

describe('the console chat transcript', () => {
  it('prints a message as a block: time, channel, id, author, then the text indented', async () => {
    const { port, take } = chatWith();
    const ref = await port.post('#deployments', {
      text: '📋 *toy v1.3.0 → production* (toy-1)\nChecklist 0/7',
    });
    expect(ref).toEqual({ platform: 'console', channel: '#deployments', id: 'm1' });
    expect(take()).toEqual([
      '17:02:03 #deployments [m1] preflight',
      '    📋 toy v1.3.0 → production (toy-1)',
      '    Checklist 0/7',
    ]);
  });

  it('prints control characters from people and steps as �, so they cannot drive the terminal', async () => {
    const { port, take } = chatWith();
    await port.post('#deployments', {
      text: '🔒 locked: \u001b[2J\u001b]0;PWNED\u0007 reason\r\nnext line',
      attachment: { name: 'out.txt', content: 'ok\r\n\u001b[31mred\u001b[0m\n' },
    });
    const printed = take();
    const control = [...printed.join('\n')].filter((c) => {
      const code = c.codePointAt(0) ?? 0;
      return c !== '\n' && (code < 0x20 || (code >= 0x7f && code <= 0x9f));
    });
    expect(control).toEqual([]);
    expect(printed).toContain('    🔒 locked: �[2J�]0;PWNED� reason');
    expect(printed).toContain('    next line');
    expect(printed.some((line) => line.endsWith('�[31mred�[0m'))).toBe(true);
  });

  it('prints a line it cannot read with its control characters as �, as it echoes the line itself', () => {
    const { chat, take } = chatWith();
    chat.transcript.error('cannot read "\u001b[2J/oncall": a line is a /command');
    expect(take()).toEqual(['✗ cannot read "�[2J/oncall": a line is a /command']);
  });

  it('shows thread replies under the thread root, one-line texts inline', async () => {
    const { port, take } = chatWith();
    const root = await port.post('#deployments', { text: 'status' });
    const reply = await port.post('#deployments', { text: '✅ Step 1 succeeded' }, root);
    const nested = await port.post('#deployments', { text: 'again' }, reply);
    expect(reply.thread).toBe('m1');
    expect(nested.thread).toBe('m1');
    expect(take().slice(1)).toEqual([
      '17:02:03 #deployments › m1 [m2] preflight: ✅ Step 1 succeeded',
      '17:02:03 #deployments › m1 [m3] preflight: again',
    ]);
  });

  it('renders mentions as @person and knows people by their runbook id', () => {
    const { port } = chatWith();
    expect(port.userIdOf('alice', { name: 'Alice Adams' })).toBe('alice');
    expect(port.mention('alice', 'Alice Adams')).toBe('@alice');
    expect(port.mention(undefined, 'Alice Adams')).toBe('Alice Adams');
    const people = { alice: { name: 'Alice Adams' }, dave: { name: 'Dave Diaz' } };
    const expanded = expandMentions({ text: '@{alice} asked @{dave}; @{!U123} too' }, { people }, port);
    expect(expanded.text).toBe('@alice asked @dave; @U123 too');
  });

  it('shows buttons with a hint to click them', async () => {
    const { port, take } = chatWith();
    await port.post('#deployments', GATE);
    expect(take()).toEqual([
      '17:02:03 #deployments [m1] preflight',
      '    🔐 Security sign-off gate: 0 of 1 approvals',
      '    @dave: react ✅ to approve or ❌ to reject.',
      '    [Approve] [Reject]  (type: click m1 approve)',
    ]);
  });

  it('shows code blocks marked, and attachments with their line count, capped', async () => {
    const { port, take } = chatWith();
    const content = Array.from({ length: ATTACHMENT_LINES + 5 }, (_, i) => `line ${i + 1}`).join('\n');
    await port.post('#deployments', {
      text: '❌ Step 2 *migrate* failed\n```\n… 20 more lines in toy-1-migrate-1.log\nboom\n```',
      attachment: { name: 'toy-1-migrate-1.log', content },
    });
    const out = take();
    expect(out.slice(0, 5)).toEqual([
      '17:02:03 #deployments [m1] preflight',
      '    ❌ Step 2 migrate failed',
      '    │ … 20 more lines in toy-1-migrate-1.log',
      '    │ boom',
      `    📎 toy-1-migrate-1.log (${ATTACHMENT_LINES + 5} lines)`,
    ]);
    expect(out[5]).toBe('      │ line 1');
    expect(out).toHaveLength(5 + ATTACHMENT_LINES + 1);
    expect(out.at(-1)).toBe('      … 5 more lines not shown here');
  });

  it('prints an edit compactly: only the lines that changed since it was last printed', async () => {
    const { port, take } = chatWith();
    const status = [
      '⏳ *toy v1.3.0* (toy-1): waiting for approvals',
      'Requested by @alice',
      'Gates: ⏳ security 0/1',
    ];
    const ref = await port.post('#deployments', { text: status.join('\n') });
    take();
    await port.update(ref, { text: [status[0], status[1], 'Gates: ✅ security (Dave)'].join('\n') });
    expect(take()).toEqual(['17:02:03 ✎ m1: Gates: ✅ security (Dave)']);
    await port.update(ref, {
      text: [
        '🚀 *toy v1.3.0* (toy-1): running',
        'Requested by @alice',
        'Gates: ✅ security (Dave)',
        'Now: step 1',
      ].join('\n'),
      tone: 'good',
    });
    expect(take()).toEqual(['17:02:03 ✎ m1', '    🚀 toy v1.3.0 (toy-1): running', '    Now: step 1']);
    await port.update(ref, {
      text: ['🚀 *toy v1.3.0* (toy-1): running', 'Requested by @alice', 'Gates: ✅ security (Dave)'].join(
        '\n',
      ),
    });
    // A line that went away: the whole message, so nothing stale is left on screen.
    expect(take()).toEqual([
      '17:02:03 ✎ m1',
      '    🚀 toy v1.3.0 (toy-1): running',
      '    Requested by @alice',
      '    Gates: ✅ security (Dave)',
    ]);
    await port.update(ref, {
      text: ['🚀 *toy v1.3.0* (toy-1): running', 'Requested by @alice', 'Gates: ✅ security (Dave)'].join(
        '\n',
      ),
    });
    expect(take()).toEqual([]);
  });

  it('prints the whole text of an edit to a message it never showed (posted before a restart)', async () => {
    const { port, take } = chatWith();
    await port.update({ platform: 'console', channel: '#deployments', id: 'm40' }, { text: 'a\nb' });
    expect(take()).toEqual(['17:02:03 ✎ m40', '    a', '    b']);
  });

  it('shows a changed set of buttons on an edit', async () => {
    const { port, take } = chatWith();
    const ref = await port.post('#deployments', { text: 'Decision needed' });
    take();
    await port.update(ref, {
      text: 'Decision needed',
      buttons: [{ action: 'decide', label: 'Retry', value: 'toy-1:retry' }],
    });
    expect(take()).toEqual(['17:02:03 ✎ m1', '    [Retry]  (type: click m1 retry)']);
  });

  it('prints reactions and direct messages', async () => {
    const { port, take } = chatWith();
    const ref = await port.post('#incident-response', { text: 'Rollback?' });
    take();
    await port.react(ref, 'white_check_mark');
    await port.react(ref, 'tada');
    const dm = await port.directMessage('alice', { text: '📟 L1: toy-1 needs you' });
    expect(dm).toEqual({ platform: 'console', channel: '@alice', id: 'm2' });
    expect(take()).toEqual([
      '17:02:03 m1 +✅',
      '17:02:03 m1 +:tada:',
      '17:02:03 DM → @alice [m2] preflight: 📟 L1: toy-1 needs you',
    ]);
  });

  it('remembers what it showed, for clicks', async () => {
    const { chat, port } = chatWith();
    const ref = await port.post('#deployments', GATE);
    expect(chat.shown('m1')).toEqual({ ref, message: GATE });
    expect(chat.shown('m2')).toBeUndefined();
  });

  it('prints typed lines, replies, narration and errors', () => {
    const { chat, take } = chatWith();
    chat.transcript.typed('alice', '/deploy start toy v1.3.0');
    chat.transcript.typed(undefined, 'wait last monitoring');
    chat.transcript.reply('alice', { text: 'Starting toy-1.', visibility: 'channel' }, '#deployments');
    chat.transcript.reply(
      'dave',
      { text: '⚠️ you cannot deploy toy', visibility: 'ephemeral' },
      '#deployments',
    );
    chat.transcript.reply('bob', { text: 'line one\nline two', visibility: 'ephemeral' }, '#deployments');
    chat.transcript.narrate('# Dave approves the security gate');
    chat.transcript.error('m9 is not a message Preflight posted here');
    expect(take()).toEqual([
      '17:02:03 @alice › /deploy start toy v1.3.0',
      '17:02:03 › wait last monitoring',
      '17:02:03 #deployments preflight: Starting toy-1.',
      '17:02:03 → dave (only you): ⚠️ you cannot deploy toy',
      '17:02:03 → bob (only you)',
      '    line one',
      '    line two',
      '',
      '# Dave approves the security gate',
      '✗ m9 is not a message Preflight posted here',
    ]);
  });

  it('writes no colour codes when colour is off, and colours by tone when on', async () => {
    const plain = chatWith(false);
    const coloured = chatWith(true);
    for (const { port, chat } of [plain, coloured]) {
      const ref = await port.post('#deployments', { ...GATE, tone: 'bad' });
      await port.update(ref, { text: '✅ *Security sign-off* gate approved', tone: 'good' });
      await port.react(ref, 'x');
      chat.transcript.typed('alice', '/deploy status');
      chat.transcript.error('nope');
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes
    const ansi = /\u001b\[/;
    expect(plain.lines.some((l) => ansi.test(l))).toBe(false);
    expect(coloured.lines.some((l) => ansi.test(l))).toBe(true);
    expect(coloured.lines.join('\n')).toContain('\u001b[32m'); // green for the good edit
    expect(coloured.lines.join('\n')).toContain('\u001b[31m'); // red for the bad message
  });
});

describe('the console chat and secrets', () => {
  it('masks a credential in posts, edits, attachments and replies, as the Slack and Discord adapters do', async () => {
    const lines: string[] = [];
    let n = 0;
    const chat = createConsoleChat({
      write: (line) => lines.push(line),
      color: false,
      now: () => AT,
      nextId: async () => ++n,
      redactor: createRedactor({ secrets: ['s3cr3t-runbook-value'] }),
    });
    const ref = await chat.port.post('#deployments', {
      text: 'health: https://admin:hunter2pass@db.example.com/ping',
      attachment: { name: 'out.txt', content: 'token s3cr3t-runbook-value' },
    });
    await chat.port.update(ref, {
      text: 'header Authorization: Bearer ghp_1234567890abcdefghijklmnopqrstuvwxyz12',
    });
    chat.transcript.reply('ann', { text: 'password=s3cretpw', visibility: 'ephemeral' }, '#deployments');
    const printed = lines.join('\n');
    for (const secret of ['hunter2pass', 's3cr3t-runbook-value', 'ghp_1234567890', 's3cretpw'])
      expect(printed).not.toContain(secret);
    expect(printed).toContain('db.example.com/ping');
  });
});
