import { beforeAll, describe, expect, it } from 'vitest';
import { createConsoleChat } from '../../../src/bot/console/console-chat.ts';
import { createConsoleInput } from '../../../src/bot/console/console-input.ts';
import type { Dispatcher } from '../../../src/bot/dispatch.ts';
import type { Reply } from '../../../src/commands/command.ts';
import type { Deployment, MessageRef } from '../../../src/core/index.ts';

beforeAll(() => {
  process.env.TZ = 'UTC';
});

const HINT = '(type "help" for the console grammar)';

interface Call {
  readonly kind: keyof Dispatcher;
  readonly input: Record<string, unknown>;
}

function setup(options: { replies?: Reply[]; states?: string[] } = {}) {
  const calls: Call[] = [];
  const replies = [...(options.replies ?? [])];
  const record = (kind: keyof Dispatcher) => async (input: object) => {
    calls.push({ kind, input: input as Record<string, unknown> });
    return replies.shift();
  };
  const dispatcher = {
    command: record('command'),
    reaction: async (input: object) => {
      calls.push({ kind: 'reaction', input: input as Record<string, unknown> });
      return { known: true };
    },
    button: record('button'),
    threadMessage: async (input: object) => {
      calls.push({ kind: 'threadMessage', input: input as Record<string, unknown> });
    },
  } as Dispatcher;
  const saved = new Map<string, MessageRef>();
  const byRef = new Map<string, { deploymentId: string; key: string }>();
  const index = {
    find: async (deploymentId: string, key: string) => saved.get(`${deploymentId}/${key}`),
    lookup: async (_platform: string, channel: string, id: string) => byRef.get(`${channel}/${id}`),
  };
  const save = (deploymentId: string, key: string, ref: MessageRef) => {
    saved.set(`${deploymentId}/${key}`, ref);
    byRef.set(`${ref.channel}/${ref.id}`, { deploymentId, key });
  };
  const states = [...(options.states ?? [])];
  let state = 'checklist';
  const deployment = () => ({ id: 'toy-1', state, origin: 'console', requestedBy: 'alice' }) as Deployment;
  const store = {
    get: async (id: string) => {
      state = states.shift() ?? state;
      return id === 'toy-1' ? deployment() : undefined;
    },
    list: async () => [deployment()],
  };
  const lines: string[] = [];
  let n = 0;
  const chat = createConsoleChat({
    write: (line) => lines.push(line),
    color: false,
    now: () => Date.UTC(2026, 0, 7, 17, 2, 3),
    nextId: async () => ++n,
  });
  const slept: number[] = [];
  const input = createConsoleInput({
    dispatcher,
    index,
    store,
    chat,
    channels: ['#deployments', '#incident-response'],
    people: ['alice', 'bob', 'carol', 'dave', 'erin'],
    user: 'carol',
    refTimeoutMs: 200,
    pollMs: 1,
    sleep: async (ms) => {
      slept.push(ms);
      await new Promise((r) => setTimeout(r, Math.min(ms, 5)));
    },
  });
  return { calls, chat, input, lines, save, slept, take: () => lines.splice(0) };
}

const from = (userId: string) => ({ platform: 'console', userId });

describe('console input: commands', () => {
  it('runs a command as the named person, in the deploy channel, and prints a public reply there', async () => {
    const t = setup({
      replies: [{ text: 'Starting toy-1: toy v1.3.0 → production.', visibility: 'channel' }],
    });
    expect(await t.input.handle('@alice /deploy start toy v1.3.0')).toBe(true);
    expect(t.calls).toEqual([
      {
        kind: 'command',
        input: { ...from('alice'), channel: '#deployments', text: '/deploy start toy v1.3.0' },
      },
    ]);
    expect(t.take()).toEqual(['17:02:03 #deployments preflight: Starting toy-1: toy v1.3.0 → production.']);
  });

  it('runs a command without @name as the default person; ephemeral replies are for them only', async () => {
    const t = setup({ replies: [{ text: 'No deployment is active.', visibility: 'ephemeral' }] });
    await t.input.handle('/deploy status');
    expect(t.calls[0]?.input).toMatchObject({ userId: 'carol', text: '/deploy status' });
    expect(t.take()).toEqual(['17:02:03 → carol (only you): No deployment is active.']);
  });

  it('echoes script lines with who typed them', async () => {
    const t = setup({ replies: [{ text: 'ok', visibility: 'ephemeral' }] });
    await t.input.handle('  @bob   /deploy status  ', { echo: true });
    await t.input.handle('sleep 10ms', { echo: true });
    await t.input.handle('# Bob checks', { echo: true });
    await t.input.handle('', { echo: true });
    expect(t.take()).toEqual([
      '17:02:03 @bob › /deploy status',
      '17:02:03 → bob (only you): ok',
      '17:02:03 › sleep 10ms',
      '',
      '# Bob checks',
    ]);
    expect(t.slept).toEqual([10]);
  });

  it('switches the default person with "as", only to a runbook person', async () => {
    const t = setup();
    expect(await t.input.handle('as dave')).toBe(true);
    expect(t.input.user()).toBe('dave');
    expect(await t.input.handle('as zed')).toBe(false);
    expect(t.take()).toEqual([
      'you now type as @dave',
      '✗ zed is not a person of the runbooks (people: alice, bob, carol, dave, erin)',
    ]);
  });
});

describe('console input: reactions, clicks and replies', () => {
  it('reacts by message id with every spelling of the emoji', async () => {
    const t = setup();
    const ref = await t.chat.port.post('#incident-response', { text: 'Rollback?' });
    const spellings: [string, string][] = [
      ['✅', 'white_check_mark'],
      [':white_check_mark:', 'white_check_mark'],
      ['white_check_mark', 'white_check_mark'],
      ['❌', 'x'],
      ['x', 'x'],
      ['🔄', 'arrows_counterclockwise'],
      ['✔️', 'white_check_mark'],
    ];
    for (const [typed] of spellings)
      expect(await t.input.handle(`@dave react ${ref.id} ${typed}`)).toBe(true);
    await t.input.handle(`@dave unreact ${ref.id} ✅`);
    expect(t.calls.map((c) => [c.input.emoji, c.input.added])).toEqual([
      ...spellings.map(([, name]) => [name, true]),
      ['white_check_mark', false],
    ]);
    expect(t.calls[0]).toEqual({
      kind: 'reaction',
      input: {
        ...from('dave'),
        channel: '#incident-response',
        messageId: 'm1',
        emoji: 'white_check_mark',
        added: true,
      },
    });
  });

  it('finds an id posted before this session through the message index', async () => {
    const t = setup();
    t.save('toy-1', 'gate:security', {
      platform: 'console',
      channel: '#deployments',
      id: 'm40',
      thread: 'm31',
    });
    await t.input.handle('@dave react m40 ✅');
    expect(t.calls[0]?.input).toMatchObject({ channel: '#deployments', messageId: 'm40' });
    expect(await t.input.handle('@dave react m41 ✅')).toBe(false);
    expect(t.take()).toEqual([
      '✗ m41 is not a message Preflight posted here; check the id in the transcript',
    ]);
  });

  it('waits for a symbolic reference until its message is posted', async () => {
    const t = setup();
    setTimeout(
      () =>
        t.save('toy-1', 'gate:security', {
          platform: 'console',
          channel: '#deployments',
          id: 'm6',
          thread: 'm1',
        }),
      30,
    );
    expect(await t.input.handle('@dave react toy-1/gate:security ✅')).toBe(true);
    expect(t.calls[0]?.input).toMatchObject({ userId: 'dave', channel: '#deployments', messageId: 'm6' });
  });

  it('gives up on a symbolic reference that is never posted', async () => {
    const t = setup();
    expect(await t.input.handle('@dave react toy-1/gate:securty ✅')).toBe(false);
    expect(t.calls).toEqual([]);
    expect(t.take()).toEqual([
      '✗ toy-1/gate:securty was not posted within 200ms (keys look like status, gate:security, checklist-item:release-notes, rollback, decision, or incident and page:1:0 for INC-1/…)',
    ]);
  });

  it('resolves "last" to the deployment started in this session', async () => {
    const t = setup({
      replies: [{ text: 'Starting toy-1: toy v1.3.0 → production.', visibility: 'ephemeral' }],
    });
    expect(await t.input.handle('@bob react last/checklist-item:release-notes ✅')).toBe(false);
    expect(t.take()).toEqual([
      '✗ no deployment was started in this session yet, so "last" means nothing; name one (toy-1)',
    ]);
    await t.input.handle('@alice /deploy start toy v1.3.0');
    t.save('toy-1', 'checklist-item:release-notes', {
      platform: 'console',
      channel: '#deployments',
      id: 'm3',
    });
    expect(await t.input.handle('@bob react last/checklist-item:release-notes ✅')).toBe(true);
    expect(t.calls[1]?.input).toMatchObject({ userId: 'bob', messageId: 'm3' });
  });

  it('clicks a button by its label, case-insensitively, and prints the private reply', async () => {
    const t = setup({ replies: [{ text: 'approval counted: 1 of 2', visibility: 'ephemeral' }] });
    const root = await t.chat.port.post('#deployments', { text: 'status' });
    await t.chat.port.post(
      '#deployments',
      {
        text: 'gate',
        buttons: [
          { action: 'gate.approve', label: 'Approve', value: 'toy-1:operations' },
          { action: 'gate.reject', label: 'Reject', value: 'toy-1:operations' },
        ],
      },
      root,
    );
    t.take();
    expect(await t.input.handle('@bob click m2 APPROVE')).toBe(true);
    expect(t.calls).toEqual([
      {
        kind: 'button',
        input: {
          ...from('bob'),
          channel: '#deployments',
          messageId: 'm2',
          action: 'gate.approve',
          value: 'toy-1:operations',
        },
      },
    ]);
    expect(t.take()).toEqual(['17:02:03 → bob (only you): approval counted: 1 of 2']);
    expect(await t.input.handle('@bob click m2 maybe')).toBe(false);
    expect(await t.input.handle('@bob click m1 approve')).toBe(false);
    expect(t.take()).toEqual([
      '✗ m2 has no "maybe" button; its buttons: Approve, Reject',
      "✗ m1 has no buttons in this session's transcript; react to it instead",
    ]);
  });

  it('replies in the thread of the message', async () => {
    const t = setup();
    const root = await t.chat.port.post('#deployments', { text: 'status' });
    await t.chat.port.post('#deployments', { text: 'gate rejected' }, root);
    await t.input.handle('@dave reply m2 the scan found a critical CVE');
    expect(t.calls).toEqual([
      {
        kind: 'threadMessage',
        input: {
          ...from('dave'),
          channel: '#deployments',
          threadId: 'm1',
          text: 'the scan found a critical CVE',
        },
      },
    ]);
  });
});

describe('console input: script directives', () => {
  it('waits until the deployment reaches one of the states', async () => {
    const t = setup({ states: ['checklist', 'awaiting_gates', 'running', 'monitoring'] });
    expect(await t.input.handle('wait toy-1 monitoring|succeeded 5s')).toBe(true);
  });

  it('fails a wait that times out, or whose deployment ends elsewhere', async () => {
    const t = setup({ states: ['awaiting_gates'] });
    expect(await t.input.handle('wait toy-1 monitoring 50ms')).toBe(false);
    const u = setup({ states: ['running', 'failed'] });
    expect(await u.input.handle('wait toy-1 monitoring')).toBe(false);
    expect(await u.input.handle('wait toy-9 monitoring 20ms')).toBe(false);
    expect([...t.take(), ...u.take()]).toEqual([
      '✗ wait toy-1 monitoring: still awaiting_gates after 50ms',
      '✗ wait toy-1 monitoring: toy-1 ended failed',
      '✗ wait toy-9 monitoring: there is no deployment toy-9 after 20ms',
    ]);
  });

  it('prints the grammar for help', async () => {
    const t = setup();
    await t.input.handle('help');
    const text = t.take().join('\n');
    expect(text).toContain('You type as @carol');
    for (const verb of [
      '/<command>',
      'react <message> <emoji>',
      'unreact',
      'click',
      'reply',
      'wait',
      'sleep',
      '# <text>',
    ])
      expect(text).toContain(verb);
  });
});

describe('console input: bad lines', () => {
  it.each([
    [
      'frobnicate m7',
      `cannot read "frobnicate m7": a line is a /command, react, unreact, click, reply, wait, sleep, as, help or a # note ${HINT}`,
    ],
    [
      'deploy status',
      `cannot read "deploy status": a line is a /command, react, unreact, click, reply, wait, sleep, as, help or a # note ${HINT}`,
    ],
    [
      '@dave approve m7',
      `cannot read "approve m7": after @dave comes a /command, react, unreact, click or reply ${HINT}`,
    ],
    ['@dave', `say what dave does: @dave /command, react, unreact, click or reply ${HINT}`],
    ['@ /deploy status', `"@" is not a person: write @ and a person id, e.g. @alice /deploy status ${HINT}`],
    ['@dave react m7', `usage: react <message> <emoji>, e.g. react m7 ✅ ${HINT}`],
    ['@dave react m7 ✅ now', `usage: react <message> <emoji>, e.g. react m7 ✅ ${HINT}`],
    ['@dave unreact', `usage: unreact <message> <emoji>, e.g. unreact m7 ✅ ${HINT}`],
    [
      '@dave react q7 ✅',
      `"q7" is not a message: use an id such as m7, or <deployment>/<key> such as toy-1/gate:security ${HINT}`,
    ],
    [
      '@dave react m7 🎉',
      `"🎉" is not an emoji Preflight reads: use ✅ (white_check_mark), ❌ (x), 🔄 (arrows_counterclockwise), 👀 (eyes) or a name like :tada: ${HINT}`,
    ],
    ['@bob click m7', `usage: click <message> <button label>, e.g. click m7 approve ${HINT}`],
    ['@bob reply m7', `usage: reply <message> <text>, e.g. reply m7 the reason ${HINT}`],
    [
      'wait last',
      `usage: wait <deployment|last> <state>[|<state>…] [timeout], e.g. wait last monitoring 60s; or wait <message> [timeout], e.g. wait INC-1/page:1:0 ${HINT}`,
    ],
    [
      'wait last monitor',
      `"monitor" is not a deployment state; states: checklist, awaiting_gates, scheduled, running, verifying, monitoring, succeeded, failed, needs_decision, aborted, rolling_back, rolled_back, rollback_failed ${HINT}`,
    ],
    ['wait last monitoring soon', `"soon" is not a duration (e.g. 30s, 2m, 500ms) ${HINT}`],
    ['wait Toy monitoring', `"Toy" is not a deployment id (such as toy-1) or "last" ${HINT}`],
    ['sleep a while', `usage: sleep <duration>, e.g. sleep 2s ${HINT}`],
    ['as', `usage: as <person>, e.g. as bob ${HINT}`],
  ])('%s', async (line, message) => {
    const t = setup();
    expect(await t.input.handle(line)).toBe(false);
    expect(t.calls).toEqual([]);
    expect(t.take()).toEqual([`✗ ${message}`]);
  });

  it('reports a failure on Preflight’s side in one line, without a stack', async () => {
    const t = setup();
    const broken = createConsoleInput({
      dispatcher: {
        command: async () => {
          throw new Error('Connection is closed.');
        },
      } as unknown as Dispatcher,
      index: { find: async () => undefined, lookup: async () => undefined },
      store: { get: async () => undefined, list: async () => [] },
      chat: t.chat,
      channels: ['#deployments'],
      people: ['alice'],
      user: 'alice',
    });
    expect(await broken.handle('/deploy status')).toBe(false);
    expect(t.take()).toEqual(["✗ that failed on Preflight's side: Connection is closed."]);
  });
});

describe('console input: waiting for a message', () => {
  it('reads `wait <message> [timeout]` for deployments and incidents', async () => {
    const { parseConsoleLine } = await import('../../../src/bot/console/console-grammar.ts');
    expect(parseConsoleLine('wait INC-1/page:1:0 30s')).toEqual({
      kind: 'wait-message',
      target: { kind: 'topic', deployment: 'INC-1', key: 'page:1:0' },
      timeoutMs: 30_000,
    });
    expect(parseConsoleLine('wait last/gate:security')).toMatchObject({
      kind: 'wait-message',
      timeoutMs: 60_000,
    });
    expect(parseConsoleLine('wait INC-1/page:1:0 soon')).toEqual({
      kind: 'invalid',
      message: '"soon" is not a duration (e.g. 30s, 2m, 500ms)',
    });
  });
});
