/**
 * Socket Mode on the fake Slack API: `apps.connections.open` hands out a WebSocket URL on the same server, which
 * says hello and then delivers envelopes (`events_api`, `slash_commands`, `interactive`) as Slack does; the
 * client's acks (`{envelope_id, payload}`) are recorded.
 */
import { randomUUID } from 'node:crypto';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeSlackApi } from './fake-slack-api.ts';
import { FORM, type SlackRequest } from './signed-slack.ts';

type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

export interface Envelope {
  readonly envelopeId: string;
  readonly acked: Promise<unknown>;
}

export interface FakeSocketMode {
  /** Resolves once a client is connected and greeted. */
  connected(): Promise<void>;
  /** Sends an envelope; resolves with the ack's payload. */
  deliver(type: EnvelopeType, payload: unknown, retryAttempt?: number): Promise<unknown>;
  /**
   * Delivers what Slack would POST to /slack/events over HTTP (signed-slack.ts builds those) as the envelope it
   * sends over the WebSocket instead; resolves with the ack's payload.
   */
  deliverRequest(request: SlackRequest, retryAttempt?: number): Promise<unknown>;
  /** Sends an envelope; `acked` resolves with the ack's payload. */
  send(type: EnvelopeType, payload: unknown, retryAttempt?: number): Envelope;
  /** Sends any text as one WebSocket message (a malformed envelope, a `disconnect` notice). */
  raw(message: string): void;
  /** True once the client acknowledged that envelope. */
  isAcked(envelopeId: string): boolean;
  /** How many WebSocket connections clients have opened so far. */
  connections(): number;
  /** Drops the connected client's WebSocket, as a network cut would (no close handshake). */
  drop(): void;
  close(): Promise<void>;
}

/** Adds Socket Mode to a running fake. */
export function attachFakeSocketMode(fake: FakeSlackApi): FakeSocketMode {
  const wss = new WebSocketServer({ server: fake.server, path: '/link' });
  const acks = new Map<string, (payload: unknown) => void>();
  const acked = new Set<string>();
  let client: WebSocket | undefined;
  let connections = 0;
  let greeted: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    greeted = resolve;
  });
  wss.on('connection', (socket) => {
    client = socket;
    connections += 1;
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
      if (!message.envelope_id) return;
      acked.add(message.envelope_id);
      acks.get(message.envelope_id)?.(message.payload);
    });
    socket.send(
      JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0PREFLIGHT' } }),
    );
    greeted();
  });
  const send = (type: EnvelopeType, payload: unknown, retryAttempt = 0): Envelope => {
    const envelopeId = randomUUID();
    const answer = new Promise<unknown>((resolve) => acks.set(envelopeId, resolve));
    if (!client) throw new Error('no Socket Mode client connected');
    client.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        ...(type === 'events_api' && {
          retry_attempt: retryAttempt,
          retry_reason: retryAttempt ? 'timeout' : '',
        }),
      }),
    );
    return { envelopeId, acked: answer };
  };
  fake.handle('apps.connections.open', () => ({ url: `${fake.url.replace('http', 'ws')}/link` }));
  return {
    connected: () => ready,
    deliver: (type, payload, retryAttempt = 0) => send(type, payload, retryAttempt).acked,
    send,
    deliverRequest(request, retryAttempt = 0) {
      if (request.contentType !== FORM)
        return send('events_api', JSON.parse(request.body), retryAttempt).acked;
      const form = new URLSearchParams(request.body);
      const payload = form.get('payload');
      if (payload !== null) return send('interactive', JSON.parse(payload)).acked;
      return send('slash_commands', Object.fromEntries(form)).acked;
    },
    raw(message) {
      if (!client) throw new Error('no Socket Mode client connected');
      client.send(message);
    },
    isAcked: (envelopeId) => acked.has(envelopeId),
    connections: () => connections,
    drop() {
      client?.terminate();
      client = undefined;
    },
    close: () =>
      new Promise((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}
