/**
 * Socket Mode that acknowledges an Events API envelope (reactions, thread replies) only once the app has handled
 * it, i.e. once its inbox entry is recorded. Bolt's own SocketModeReceiver lets the app acknowledge events before
 * any listener runs, so a bot that died or could not reach Redis right then lost the approval: Slack never
 * delivers an acknowledged envelope again. Here an event whose handling failed is not acknowledged at all, and
 * Slack delivers it again (the inbox counts it once). Commands and button clicks are acknowledged by their
 * listeners, after recording, as in HTTP mode; an envelope no listener answered is acknowledged once the app is
 * done with it (slack-unhandled.ts answers the kinds a person waits on).
 *
 * Reconnecting is this receiver's own: the client's gives up for good when `apps.connections.open` answers an
 * HTTP error or cannot be reached (a Slack outage, a network blip), leaving the bot deaf while it looks healthy.
 * After any drop this one tries again until it is connected or stopped, waiting 1 s, 2 s, 4 s … at most 30 s.
 * Slack's `disconnect` notice is said in the log: `refresh_requested` (a routine reconnect) in passing,
 * `link_disabled` (Socket Mode turned off for the app: nothing arrives until it is on again) as an error with
 * what to do, and in /readyz.
 *
 * Every WebSocket message is checked before the client reads it (slack-payload-check.ts, as over HTTP): the
 * client throws on an events_api envelope without its event, outside any handler, and Bolt on a payload that is
 * not an object, leaving it unacknowledged for Slack to send again and again. Such an envelope, and one larger than
 * the HTTP server takes in a body, is refused: said in the log with why, and acknowledged, as it would fail the
 * same way each time.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { App, Logger, Receiver, ReceiverEvent } from '@slack/bolt';
import { SocketModeClient, type SocketModeOptions } from '@slack/socket-mode';
import { type ChatLink, createChatLinkTracker } from '../chat-link.ts';
import { describeSlackBody, isObject, SOCKET_NOTICES, unreadableEnvelope } from './slack-payload-check.ts';

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
  /** The largest envelope handled, in bytes (as the HTTP server's body limit); a larger one is refused. */
  readonly maxEnvelopeBytes?: number;
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

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Says whether a WebSocket message was dealt with (refused) before the client reads it. */
type Screen = (text: string, bytes: number, ack: (envelopeId: string) => Promise<void>) => Promise<boolean>;

/** The Socket Mode client, with each message screened first. */
class ScreenedSocketModeClient extends SocketModeClient {
  readonly #screen: Screen;

  constructor(options: SocketModeOptions, screen: Screen) {
    super(options);
    this.#screen = screen;
  }

  protected override async onWebSocketMessage(data: string | ArrayBuffer, isBinary: boolean): Promise<void> {
    if (!isBinary) {
      const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
      // The client's own ack (private): an envelope acknowledged with an empty payload.
      const send = (this as unknown as { send(id: string, body: object): Promise<void> }).send.bind(this);
      const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
      if (await this.#screen(text, bytes, (envelopeId) => send(envelopeId, {}))) return;
    }
    return super.onWebSocketMessage(data, isBinary);
  }
}

const LINK_DISABLED =
  'Slack turned Socket Mode off for this app (link_disabled): nothing reaches Preflight until it is on again. Turn it on in the app settings (Socket Mode), or run over HTTP instead: unset SLACK_APP_TOKEN, set SLACK_SIGNING_SECRET and the Request URL to POST /slack/events';

/** A Bolt receiver over a Socket Mode connection; pass it as the App's `receiver`. */
export function createSocketReceiver(options: SocketReceiverOptions): SocketReceiver {
  const { logger } = options;
  /** Why Slack last asked to disconnect, until connected again. */
  let notice: string | undefined;
  const screen: Screen = async (text, bytes, ack) => {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      logger.warn('Slack Socket Mode message refused: it is not JSON');
      return true;
    }
    if (!isObject(message)) {
      logger.warn('Slack Socket Mode message refused: it is not a JSON object');
      return true;
    }
    if (message.type === 'disconnect') {
      const reason = String(message.reason ?? 'no reason given');
      if (reason === 'link_disabled') {
        notice = LINK_DISABLED;
        logger.error(`${LINK_DISABLED}; trying to reconnect meanwhile`);
      } else {
        notice = `Slack asked for a new connection (${reason})`;
        logger.info(`${notice}; reconnecting`);
      }
      return false;
    }
    if (SOCKET_NOTICES.includes(String(message.type))) return false;
    const limit = options.maxEnvelopeBytes;
    const why =
      limit !== undefined && bytes > limit
        ? `it is ${megabytes(bytes)}; at most ${megabytes(limit)} is accepted`
        : unreadableEnvelope(message);
    if (why === undefined) return false;
    const id = typeof message.envelope_id === 'string' && message.envelope_id ? message.envelope_id : '';
    logger.warn(
      `Slack envelope ${id || '(no envelope_id)'} (${String(message.type)}) refused: ${why}${id ? '; acknowledged, so Slack does not send it again' : ''}`,
    );
    if (id)
      await ack(id).catch((error: unknown) =>
        logger.warn(`could not acknowledge Slack envelope ${id}`, error),
      );
    return true;
  };
  const client = new ScreenedSocketModeClient(
    {
      appToken: options.appToken,
      logger,
      autoReconnectEnabled: false,
      ...(options.clientOptions && { clientOptions: options.clientOptions }),
    },
    screen,
  );
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
    // What no listener answered (a payload Bolt cannot place) is acknowledged too: unanswered, Slack shows an error.
    if (!acked && !held)
      logger.warn(
        `Slack envelope ${envelope.envelope_id} (${envelope.type}) had no listener; acknowledged (${describeSlackBody(envelope.body)})`,
      );
    await ackNow();
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
          link.down(notice === undefined ? describe(error) : `${notice}; ${describe(error)}`);
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
    notice = undefined;
    link.up('socket connected');
    options.onConnected?.();
  });
  client.on('disconnected', (error?: unknown) => {
    // Before the first connection, start() itself fails and says why.
    if (stopping || !everConnected) return;
    link.down(notice ?? (error === undefined ? 'the WebSocket closed' : describe(error)));
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
