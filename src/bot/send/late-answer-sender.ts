/**
 * Sends a late answer meant for a channel (core/chat/late-answer.ts): posted once, naming the person, even when an
 * earlier try may have gone out (a try noted before is looked up by its delivery id first). A channel that refuses
 * Preflight (not in it, archived, a DM of other people) does not hold it: the person is told by direct message.
 */
import { ChatSendError, type LateAnswerPayload, lateAnswerKey } from '../../core/index.ts';
import { expandMentions } from './expand-mentions.ts';
import { type ChatSenderDeps, type Delivery, type Sent, toSent } from './send-types.ts';

const NO_PEOPLE = { people: {} };
const ATTEMPT = 'post';

/** Creates the late-answer half of the chat sender. */
export function createLateAnswerSender(deps: ChatSenderDeps): (delivery: Delivery) => Promise<Sent> {
  return async (delivery) => {
    const answer = (delivery.payload as LateAnswerPayload).lateAnswer;
    const port = deps.ports[answer.platform];
    if (!port) return { status: 'drop', reason: `no ${answer.platform} chat is connected` };
    const deliveryId = lateAnswerKey(answer);
    const message = expandMentions({ text: answer.inChannel }, NO_PEOPLE, port);
    try {
      const since = await deps.index.noteAttempt(deliveryId, ATTEMPT, Date.now());
      const found =
        since !== undefined && port.findDelivery
          ? await port.findDelivery({ channel: answer.channel, deliveryId, since, message })
          : undefined;
      if (!found) await port.post(answer.channel, message, undefined, { deliveryId });
      return { status: 'sent' };
    } catch (error) {
      if (!(error instanceof ChatSendError) || error.kind !== 'refused') return toSent(error);
      deps.log?.warn(
        { err: error.message, channel: answer.channel, user: answer.userId },
        'late answer not taken in its channel; sent by direct message',
      );
    }
    try {
      await port.directMessage(answer.userId, expandMentions({ text: answer.privately }, NO_PEOPLE, port));
      return { status: 'sent' };
    } catch (error) {
      const sent = toSent(error);
      return sent.status === 'refused' ? { status: 'drop', reason: sent.reason } : sent;
    }
  };
}
