/**
 * A Discord mention in text from outside (a step's output, an alert's labels and annotations, words typed into a
 * command) pings nobody, however it is written: `@everyone`, `@here`, a user, a role, one mention hidden inside
 * another, Preflight's own `@{person}`. Every message Preflight sends lets Discord ping only the users it means.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertWebhook, alertPayload, serveAlertWebhook } from '../helpers/alert-webhook.ts';
import { discordPings } from '../helpers/chat-markup.ts';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ALICE, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { INCIDENT_CHANNEL_ID } from '../helpers/fake-discord.ts';

/** Every way of pinging on Discord that outside text could hold (Bob is a runbook person, Preflight means him nowhere). */
const PINGS =
  '@everyone @here <@200000000000000009> <<@200000000000000008>> <<<@200000000000000007>>> <@&300000000000000001> @{!200000000000000004} @{bob}';

const RUNBOOK = `version: 1
service: toy
timezone: UTC
environments: { production: { default: true }, staging: {} }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  alice: { name: Alice, discord: "${ALICE}" }
  bob: { name: Bob, discord: "200000000000000002" }
groups: { ops: [alice] }
permissions: { deploy: [ops], rollback: [ops], lock: [ops], incident: [ops] }
steps:
  - id: build
    title: Build
    run: |
      printf '%s\\n' '${PINGS}'
rollback:
  triggers:
    - { id: toy-down, title: Toy down, alertmanager: { match: { service: toy } } }
  steps:
    - { id: undo, title: Undo, run: "true" }
escalation: { levels: [{ id: L1, notify: [ops], via: [mention, dm], respond_within: 15m }] }
`;

const alert = alertPayload('ToyDown', [
  {
    name: `ToyDown ${PINGS}`,
    fingerprint: 'f00d',
    labels: { service: 'toy' },
    annotations: { summary: `ask ${PINGS}`, description: PINGS },
  },
]);

const harness = useDiscordSandbox({ runbook: () => RUNBOOK });
let h: DiscordHarness;
let webhook: AlertWebhook;
beforeAll(async () => {
  h = harness();
  webhook = await serveAlertWebhook({ preflight: h.preflight() });
});
afterAll(() => webhook?.close());

/** The bodies of every message Preflight sent or edited: posts, edits, interaction answers. */
const messagesSent = () =>
  h.fake.world.calls.filter(
    (c) => c.method !== 'GET' && /\/messages(\/\d+)?$|^\/webhooks\/|\/callback$/.test(c.path),
  );

describe('a Discord mention in text from outside', () => {
  it("pings nobody from a step's output, an alert or typed words, while the person paged is", async () => {
    await h.answer(
      h.command(ALICE, 'deploy', 'start', { service: 'toy', version: 'v1.0.0', environment: 'staging' }),
    );
    const step = await h.waitFor("the step's result", () =>
      h.fake.world.messages.find((m) => m.content.includes('**Build** succeeded')),
    );
    expect(step.content.replaceAll('\u200b', '')).toContain('@{!200000000000000004} @{bob}');

    await webhook.post(alert);
    const page = await h.waitFor('the page mentioning Alice', () =>
      h.fake.world.messages.find(
        (m) => m.channel_id === INCIDENT_CHANNEL_ID && m.content.includes(`<@${ALICE}>`),
      ),
    );
    await h.answer(h.command(ALICE, 'incident', 'open', { target: 'toy', what: PINGS }));
    const lock = await h.answer(
      h.command(ALICE, 'deploy', 'lock', { service: 'toy', environment: 'production', reason: PINGS }),
    );
    expect(lock.ephemeral).toBe(false);
    await h.waitFor('everything sent', () => h.preflight().settled(), 30_000);

    const sent = messagesSent();
    const posted = (content: string) => sent.find((c) => c.body.content === content);
    expect(posted(page.content)?.body.allowed_mentions).toEqual({ parse: [], users: [ALICE] });
    expect(posted(step.content)?.body.allowed_mentions).toEqual({ parse: [], users: [] });
    for (const call of sent) {
      const body = (call.body.data as Record<string, unknown> | undefined) ?? call.body;
      expect(discordPings(body).filter((who) => who !== ALICE)).toEqual([]);
      expect((body.allowed_mentions as { parse?: unknown } | undefined)?.parse ?? []).toEqual([]);
    }
  }, 90_000);
});
