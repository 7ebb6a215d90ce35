/**
 * The people and Slack itself, for the fault run: each request is signed and sent to either bot; an Events API
 * request that gets no 200 is delivered again with the same event_id (as Slack does, only sooner), a command
 * that is not recorded is typed again. Counts what was acknowledged.
 */
import { randomUUID } from 'node:crypto';
import { type FakeMessage, INCIDENT_CHANNEL } from '../helpers/fake-slack-api.ts';
import {
  eventCallback,
  postToSlackEndpoint,
  reactionEvent,
  type SlackRequest,
  typedCommand,
} from '../helpers/signed-slack.ts';
import type { Random } from './seeded-random.ts';

export interface People {
  readonly figures: { requests: number; redeliveries: number; acked: number };
  /** Tags of commands acknowledged (their answer arrives at the fake's response_url under the tag). */
  readonly ackedCommands: string[];
  /** A slash command in `channel`; resolves with its tag once a bot acknowledged it as recorded. */
  command(user: string, line: string, channel: string): Promise<string>;
  /** A reaction on a message; resolves once acknowledged. */
  react(user: string, message: FakeMessage, emoji: string): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Creates the people; `bots()` lists the bots up now, `responseUrl(tag)` where command answers go. */
export function createPeople(deps: {
  bots: () => string[];
  responseUrl: (tag: string) => string;
  random: Random;
  deadline: number;
}): People {
  const figures = { requests: 0, redeliveries: 0, acked: 0 };
  const ackedCommands: string[] = [];

  /** Sends until a bot answers 200 (`accept` may refuse the body); the retry number grows like Slack's. */
  const deliver = async (request: SlackRequest, accept: (body: string) => boolean, retrying: boolean) => {
    for (let attempt = 0; Date.now() < deps.deadline; attempt++) {
      const bots = deps.bots();
      if (bots.length > 0) {
        figures.requests++;
        if (attempt > 0) figures.redeliveries++;
        const answer = await postToSlackEndpoint(
          `${deps.random.pick(bots)}/slack/events`,
          request,
          retrying && attempt > 0 ? { retryNum: Math.min(attempt, 3) } : {},
        ).catch(() => undefined);
        if (answer?.status === 200 && accept(answer.body)) {
          figures.acked++;
          return true;
        }
        if (!retrying) return false;
      }
      await sleep(250 + deps.random.between(0, 500));
    }
    throw new Error('a request was never acknowledged before the deadline');
  };

  return {
    figures,
    ackedCommands,
    async command(user, line, channel) {
      for (;;) {
        const tag = randomUUID();
        const request = typedCommand({ user, line, channel, responseUrl: deps.responseUrl(tag), tag });
        // Slack does not redeliver a command: the person types it again.
        if (await deliver(request, (body) => !body.includes('could not record'), false)) {
          ackedCommands.push(tag);
          return tag;
        }
        if (Date.now() > deps.deadline) throw new Error(`${line} was never acknowledged`);
        await sleep(500);
      }
    },
    async react(user, message, emoji) {
      // As on Slack, the reaction is on the message before its event goes out: a read-back sees it there.
      const by = message.reactedBy[emoji] ?? [];
      if (!by.includes(user)) message.reactedBy[emoji] = [...by, user];
      const event = reactionEvent({ user, channel: message.channel, ts: message.ts, emoji });
      await deliver(eventCallback(event, `Ev${randomUUID().slice(0, 12)}`), () => true, true);
    },
  };
}

export { INCIDENT_CHANNEL };
