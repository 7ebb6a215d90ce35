/**
 * A chat sender over a finished deployment (rolled back, with a resolved incident) and a terminal-like chat port
 * that keeps what it is given: the final report and the incident's resolution post carry the timeline picture.
 */
import { createChatSender } from '../../src/bot/send/chat-sender.ts';
import type { ChatSenderDeps } from '../../src/bot/send/send-types.ts';
import type {
  ChatMessage,
  ChatPort,
  Deployment,
  EngineDeps,
  Incident,
  MessageIndex,
  MessageRef,
} from '../../src/core/index.ts';
import { loadRepoRunbook } from './load-runbook.ts';

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

/** The resolution note of the incident, which carries the picture. */
export const RESOLVED_TOPIC = {
  kind: 'note',
  key: `resolved:${T0 + 40_000}`,
  text: '✅ @{carol} resolved INC-1.',
};

export function pictureSender(deps: Pick<ChatSenderDeps, 'renderPng' | 'log'>) {
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
    attempted: async () => false,
    forgetAttempt: async () => {},
  } as unknown as MessageIndex;
  const engine = {
    store: { get: async () => deployment },
    incidents: { get: async () => incident, list: async () => [incident] },
    runbooks: { pinned: async () => runbook },
    clock: { now: () => T0 + 41_000 },
  } as unknown as EngineDeps;
  const send = createChatSender({ ports: { console: port }, engine, index, ...deps });
  // The threads' first messages are already posted: what is sent here are replies in them.
  const seedRoots = () => {
    saved.set('toy-2/status', { platform: 'console', channel: '#deployments', id: 'root-status' });
    saved.set(`${incident.id}/incident`, { platform: 'console', channel: '#incidents', id: 'root-incident' });
  };
  seedRoots();
  /** Posts the deployment's final report (as new each time: the message index is emptied first). */
  const sendReport = () => {
    saved.clear();
    seedRoots();
    return send({
      kind: 'post',
      payload: { deploymentId: 'toy-2', topic: { kind: 'report', state: 'rolled_back' } },
    });
  };
  return { send, sendReport, posted };
}
