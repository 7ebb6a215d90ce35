/**
 * Socket Mode that acknowledges an Events API envelope (reactions, thread replies) only once the app has handled
 * it, i.e. once its inbox entry is recorded. Bolt's own SocketModeReceiver lets the app acknowledge events before
 * any listener runs, so a bot that died or could not reach Redis right then lost the approval: Slack never
 * delivers an acknowledged envelope again. Here an event whose handling failed is not acknowledged at all, and
 * Slack delivers it again (the inbox counts it once). Commands and button clicks are acknowledged by their
 * listeners, after recording, as in HTTP mode.
 */
import type { App, Logger, Receiver, ReceiverEvent } from '@slack/bolt';
import { SocketModeClient, type SocketModeOptions } from '@slack/socket-mode';

export interface SocketReceiverOptions {
  /** The app-level token (`xapp-…`). */
  readonly appToken: string;
  readonly logger: Logger;
  /** Web API options for `apps.connections.open` (base URL, timeout). */
  readonly clientOptions?: SocketModeOptions['clientOptions'];
}

/** What SocketModeClient hands to its `slack_event` listeners. */
interface SocketEnvelope {
  readonly ack: (response?: Record<string, unknown>) => Promise<void>;
  readonly envelope_id: string;
  readonly type: string;
  readonly body: Record<string, unknown>;
  readonly retry_num?: number;
  readonly retry_reason?: string;
}

/** A Bolt receiver over a Socket Mode connection; pass it as the App's `receiver`. */
export function createSocketReceiver(options: SocketReceiverOptions): Receiver {
  const { logger } = options;
  const client = new SocketModeClient({
    appToken: options.appToken,
    logger,
    ...(options.clientOptions && { clientOptions: options.clientOptions }),
  });
  let app: App | undefined;

  const onEnvelope = async (envelope: SocketEnvelope) => {
    let acked = false;
    const ackNow = async (response?: Record<string, unknown>) => {
      if (acked) return;
      acked = true;
      await envelope.ack(response);
    };
    const held = envelope.type === 'events_api';
    const event: ReceiverEvent = {
      body: envelope.body,
      // Bolt acknowledges an event before its listeners run: that ack is held until they are done.
      ack: held ? async () => {} : ackNow,
      // Slack numbers a first delivery 0; like the HTTP headers, only a redelivery carries retry fields.
      ...(envelope.retry_num
        ? { retryNum: envelope.retry_num, retryReason: envelope.retry_reason ?? '' }
        : {}),
    };
    try {
      await app?.processEvent(event);
    } catch (error) {
      logger.warn(
        `Slack envelope ${envelope.envelope_id} (${envelope.type}) not acknowledged; Slack delivers it again`,
        error,
      );
      return;
    }
    if (held) await ackNow();
  };

  client.on('slack_event', (envelope: SocketEnvelope) => {
    onEnvelope(envelope).catch((error: unknown) =>
      // The connection dropped before the ack went out: Slack delivers the envelope again.
      logger.warn(`could not acknowledge Slack envelope ${envelope.envelope_id}`, error),
    );
  });

  return {
    init(bolt) {
      app = bolt;
    },
    start: () => client.start(),
    async stop() {
      await client.disconnect();
    },
  };
}
