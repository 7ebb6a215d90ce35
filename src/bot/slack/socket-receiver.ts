/**
 * Socket Mode that acknowledges an Events API envelope (reactions, thread replies) only once the app has handled
 * it, i.e. once its inbox entry is recorded. Bolt's own SocketModeReceiver lets the app acknowledge events before
 * any listener runs, so a bot that died or could not reach Redis right then lost the approval: Slack never
 * delivers an acknowledged envelope again. Here an event whose handling failed is not acknowledged at all, and
 * Slack delivers it again (the inbox counts it once). Commands and button clicks are acknowledged by their
 * listeners, after recording, as in HTTP mode.
 *
 * Reconnecting is this receiver's own: the client's gives up for good when `apps.connections.open` answers an
 * HTTP error or cannot be reached (a Slack outage, a network blip), leaving the bot deaf while it looks healthy.
 * After any drop this one tries again until it is connected or stopped, waiting 1 s, 2 s, 4 s … at most 30 s.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { App, Logger, Receiver, ReceiverEvent } from '@slack/bolt';
import { SocketModeClient, type SocketModeOptions } from '@slack/socket-mode';
import { type ChatLink, createChatLinkTracker } from '../chat-link.ts';

const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;

export interface SocketReceiverOptions {
  /** The app-level token (`xapp-…`). */
  readonly appToken: string;
  readonly logger: Logger;
  /** Web API options for `apps.connections.open` (base URL, timeout). */
  readonly clientOptions?: SocketModeOptions['clientOptions'];
  /** The first wait before reconnecting (tests make it short). */
  readonly retryFirstMs?: number;
  /** Called on every new connection (the first and each after a drop). */
  readonly onConnected?: () => void;
}

export interface SocketReceiver extends Receiver {
  /** The WebSocket to Slack: up, or down since when and why. */
  link(): ChatLink;
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

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A Bolt receiver over a Socket Mode connection; pass it as the App's `receiver`. */
export function createSocketReceiver(options: SocketReceiverOptions): SocketReceiver {
  const { logger } = options;
  const client = new SocketModeClient({
    appToken: options.appToken,
    logger,
    autoReconnectEnabled: false,
    ...(options.clientOptions && { clientOptions: options.clientOptions }),
  });
  const link = createChatLinkTracker();
  let app: App | undefined;
  let stopping = false;
  let reconnecting = false;
  let everConnected = false;
  const stopped = new AbortController();

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

  const reconnect = async () => {
    if (reconnecting || stopping) return;
    reconnecting = true;
    let waitMs = options.retryFirstMs ?? RETRY_FIRST_MS;
    try {
      while (!stopping) {
        await sleep(waitMs, undefined, { signal: stopped.signal }).catch(() => {});
        if (stopping) return;
        try {
          await client.start();
          logger.info('Slack Socket Mode connected again');
          return;
        } catch (error) {
          link.down(describe(error));
          logger.warn(
            `Slack Socket Mode could not connect (${describe(error)}); trying again in ${Math.round(Math.min(waitMs * 2, RETRY_MAX_MS) / 1000)} s`,
          );
          waitMs = Math.min(waitMs * 2, RETRY_MAX_MS);
        }
      }
    } finally {
      reconnecting = false;
    }
  };

  client.on('slack_event', (envelope: SocketEnvelope) => {
    onEnvelope(envelope).catch((error: unknown) =>
      // The connection dropped before the ack went out: Slack delivers the envelope again.
      logger.warn(`could not acknowledge Slack envelope ${envelope.envelope_id}`, error),
    );
  });
  client.on('connected', () => {
    everConnected = true;
    link.up('socket connected');
    options.onConnected?.();
  });
  client.on('disconnected', (error?: unknown) => {
    // Before the first connection, start() itself fails and says why.
    if (stopping || !everConnected) return;
    link.down(error === undefined ? 'the WebSocket closed' : describe(error));
    logger.warn('Slack Socket Mode disconnected; reconnecting');
    void reconnect();
  });

  return {
    init(bolt) {
      app = bolt;
    },
    // The first connection's failure is start's: a refused app token stops Preflight with the reason.
    start: () => client.start(),
    async stop() {
      stopping = true;
      stopped.abort();
      await client.disconnect();
    },
    link: () => link.state(),
  };
}
