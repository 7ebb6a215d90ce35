/** What console lines wait on: a message to be posted, a deployment to reach a state. */
import {
  type DeploymentState,
  type DeploymentStore,
  FINAL_STATES,
  formatDuration,
  type MessageIndex,
  type MessageRef,
  plainLiterals,
} from '../../core/index.ts';
import type { ConsoleChat } from './console-chat.ts';
import { ConsoleFailure } from './console-failure.ts';
import type { MessageTarget } from './console-grammar.ts';

/** Where lookups read: the message index, the deployment store and what this session showed. */
export interface ConsoleLookupDeps {
  readonly index: Pick<MessageIndex, 'find' | 'lookup'>;
  readonly store: Pick<DeploymentStore, 'get'>;
  readonly chat: Pick<ConsoleChat, 'shown'>;
  /** Channels where an `m7` not shown in this session may be. */
  readonly channels: readonly string[];
  /** How long a `<deployment>/<key>` reference waits for its message (default 30 s). */
  readonly refTimeoutMs?: number;
  readonly pollMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Waits a console line can make. */
export interface ConsoleLookups {
  /** The message a target names; a `<deployment>/<key>` waits until it is posted. */
  message(
    target: MessageTarget,
    deployment: (name: string) => string,
    timeoutMs?: number,
  ): Promise<MessageRef>;
  /** Waits until the deployment is in one of `states`; fails when it ends elsewhere or time runs out. */
  state(id: string, states: readonly DeploymentState[], timeoutMs: number): Promise<void>;
}

const DEPLOYMENT_KINDS = [
  'status',
  'checklist',
  'authorization',
  'rollback',
  'decision',
  'verification',
  'report',
  'checklist-item',
  'gate',
  'gate-reminder',
  'step',
  'task',
  'note',
];
const INCIDENT_KINDS = ['incident', 'page', 'dm', 'note'];

/** A key that can never be posted under this id fails at once instead of after the whole wait. */
function checkKeyKind(owner: string, key: string): void {
  const kind = key.split(':')[0] ?? '';
  const incident = /^INC-\d+$/.test(owner);
  if ((incident ? INCIDENT_KINDS : DEPLOYMENT_KINDS).includes(kind)) return;
  const elsewhere = incident
    ? DEPLOYMENT_KINDS.includes(kind)
      ? ` (it is a deployment's message: use the deployment's id, e.g. last/${key})`
      : ''
    : INCIDENT_KINDS.includes(kind)
      ? ` (it is an incident's message: use the incident's id, e.g. INC-1/${key})`
      : '';
  const known = incident
    ? 'incident, page:1:0'
    : 'status, gate:security, checklist-item:release-notes, rollback:<at>';
  throw new ConsoleFailure(
    `${owner}/${key}: ${incident ? 'an incident' : 'a deployment'} posts no "${kind}" message${elsewhere}; its keys look like ${known}`,
  );
}

/** Creates the lookups; they poll every `pollMs` (100 ms). */
export function createConsoleLookups(deps: ConsoleLookupDeps): ConsoleLookups {
  const { index, store, chat } = deps;
  const pollMs = deps.pollMs ?? 100;
  const refTimeoutMs = deps.refTimeoutMs ?? 30_000;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  /** `rollback` and `decision` name the deployment's current one (their keys carry the time they were asked). */
  const currentKey = async (deployment: string, key: string): Promise<string> => {
    if (key !== 'rollback' && key !== 'decision') return key;
    const d = await store.get(deployment);
    const at = key === 'rollback' ? d?.rollback?.at : d?.decision?.askedAt;
    return at === undefined ? key : `${key}:${at}`;
  };

  return {
    async message(target, deploymentOf, timeoutMs = refTimeoutMs) {
      if (target.kind === 'id') {
        const shown = chat.shown(target.id)?.ref;
        if (shown) return shown;
        for (const channel of deps.channels)
          if (await index.lookup('console', channel, target.id))
            return { platform: 'console', channel, id: target.id };
        throw new ConsoleFailure(
          `${target.id} is not a message Preflight posted here; check the id in the transcript`,
        );
      }
      const deployment = deploymentOf(target.deployment);
      checkKeyKind(deployment, target.key);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const ref = await index.find(deployment, await currentKey(deployment, target.key));
        if (ref) return ref;
        if (Date.now() >= deadline)
          throw new ConsoleFailure(
            `${deployment}/${target.key} was not posted within ${formatDuration(timeoutMs)} (keys look like status, gate:security, checklist-item:release-notes, rollback, decision, or incident and page:1:0 for INC-1/…)`,
          );
        await sleep(pollMs);
      }
    },

    async state(id, states, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const wanted = `wait ${id} ${states.join('|')}`;
      for (;;) {
        const d = await store.get(id);
        if (d && states.includes(d.state)) return;
        if (d && FINAL_STATES.includes(d.state))
          throw new ConsoleFailure(
            `${wanted}: ${id} ended ${d.state}${d.outcome ? ` (${plainLiterals(d.outcome)})` : ''}`,
          );
        if (Date.now() >= deadline)
          throw new ConsoleFailure(
            d
              ? `${wanted}: still ${d.state} after ${formatDuration(timeoutMs)}`
              : `${wanted}: there is no deployment ${id} after ${formatDuration(timeoutMs)}`,
          );
        await sleep(pollMs);
      }
    },
  };
}
