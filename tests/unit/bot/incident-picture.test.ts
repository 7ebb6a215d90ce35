/** The incident's resolution post carries the timeline picture; other incident posts do not. */
import { describe, expect, it } from 'vitest';
import { createChatSender } from '../../../src/bot/send/chat-sender.ts';
import type {
  ChatMessage,
  ChatPort,
  Deployment,
  EngineDeps,
  Incident,
  MessageIndex,
  MessageRef,
} from '../../../src/core/index.ts';
import { renderPng } from '../../../src/infra/timeline-png.ts';
import { loadRepoRunbook } from '../../helpers/load-runbook.ts';
import { pngSize } from '../../helpers/svg-marks.ts';

const T0 = Date.parse('2026-01-07T06:00:00Z');
const runbook = loadRepoRunbook('examples/sandbox/runbook.yaml');
const deployment = {
  id: 'toy-2',
  origin: 'console',
  revision: 9,
  service: 'toy',
  environment: 'production',
  version: 'v1.3.0',
  requestedBy: 'alice',
  requestedAt: T0,
  runbookDigest: 'd',
  state: 'rolled_back',
  paused: false,
  finishedAt: T0 + 30_000,
  extraGates: [],
  checklist: [],
  gates: [],
  steps: [{ id: 'backup', status: 'succeeded', attempt: 1, startedAt: T0 + 1000, finishedAt: T0 + 2000 }],
} as const satisfies Deployment;
const incident = {
  id: 'INC-1',
  revision: 4,
  service: 'toy',
  environment: 'production',
  deploymentId: 'toy-2',
  runbookDigest: 'd',
  origin: 'console',
  state: 'resolved',
  title: 'Error ratio',
  trigger: 'error-ratio',
  openedBy: 'preflight',
  openedAt: T0 + 10_000,
  pages: [{ level: 0, levelId: 'L1', repeat: 0, at: T0 + 10_000, people: ['alice'] }],
  resolution: { by: 'carol', at: T0 + 40_000 },
} as const satisfies Incident;

function setUp() {
  const posted: ChatMessage[] = [];
  const saved = new Map<string, MessageRef>();
  const port = {
    platform: 'console',
    async post(channel: string, message: ChatMessage) {
      posted.push(message);
      return { platform: 'console', channel, id: `m${posted.length}` };
    },
    userIdOf: (id: string) => id,
    mention: (id: string | undefined, name: string) => id ?? name,
  } as unknown as ChatPort;
  const index = {
    find: async (owner: string, key: string) => saved.get(`${owner}/${key}`),
    save: async (owner: string, key: string, ref: MessageRef) => void saved.set(`${owner}/${key}`, ref),
    noteAttempt: async () => undefined,
  } as unknown as MessageIndex;
  const engine = {
    store: { get: async () => deployment },
    incidents: { get: async () => incident, list: async () => [incident] },
    runbooks: { pinned: async () => runbook },
    clock: { now: () => T0 + 41_000 },
  } as unknown as EngineDeps;
  const send = createChatSender({ ports: { console: port }, engine, index, renderPng });
  return { send, posted };
}

describe('the incident resolution post', () => {
  it('attaches the deployment timeline (with the incident) as a PNG', async () => {
    const { send, posted } = setUp();
    const topic = { kind: 'note', key: `resolved:${T0 + 40_000}`, text: '✅ @{carol} resolved INC-1.' };
    expect(await send({ kind: 'post', payload: { incidentId: 'INC-1', topic } })).toEqual({ status: 'sent' });
    expect(posted[0]?.image?.name).toBe('toy-2-timeline.png');
    expect(pngSize(posted[0]?.image?.png ?? new Uint8Array()).width).toBe(1200);
  });

  it('sends other incident notes without a picture', async () => {
    const { send, posted } = setUp();
    const topic = { kind: 'note', key: 'cleared:1', text: 'Health cleared.' };
    await send({ kind: 'post', payload: { incidentId: 'INC-1', topic } });
    expect(posted[0]?.image).toBeUndefined();
  });
});
