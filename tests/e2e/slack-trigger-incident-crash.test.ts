/**
 * A monitoring tick crosses a rollback trigger and the bot is killed while it posts the incident in
 * #incident-response (Slack took the post; its answer is lost with the bot): started again, the channel holds one
 * incident post and on-call is paged once.
 */
import { expect, it } from 'vitest';
import { INCIDENT_CHANNEL } from '../helpers/fake-slack-api.ts';
import { waitFor } from '../helpers/slack-harness.ts';
import { SLOW_START, useSpawnedSlackWorld, useWorldDeployments } from '../helpers/spawned-slack-world.ts';
import { ANN, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const world = useSpawnedSlackWorld(
  () =>
    threePeopleRunbook(
      'svc',
      `groups: { ops: [ann, ben, cat] }
permissions: { deploy: [ops], rollback: [ops], abort: [ops] }
steps:
  - { id: ship, title: Ship, run: "true" }
health:
  - { id: web, title: GET /health, http: { url: "${world.pagerDuty.url}/health", status: 200, timeout: 1s } }
monitoring:
  - { id: watch, title: First minute, from: 0s, to: 2m, every: 1s, checks: [web] }
rollback:
  triggers:
    - { id: web-down, title: /health failing, health: [web], failing_for: 2s }
  steps:
    - { id: undo, title: Undo, run: 'echo undone' }
escalation: { levels: [{ id: L1, notify: [ann], via: [mention, pagerduty], respond_within: 15m }] }
`,
    ).replace(
      'ann: { name: Ann, slack: U0ANN0001 }',
      'ann: { name: Ann, slack: U0ANN0001, pagerduty: PANN001 }',
    ),
  { pagerDuty: true },
);

const deployments = useWorldDeployments(world);

it('an incident whose post was cut off by a crash is posted once and paged once after the restart', async () => {
  world.pagerDuty.health = 200;
  const first = await world.start(SLOW_START);
  expect((await world.command(first, ANN, '/deploy start svc v1.0.0', 'start')).status).toBe(200);
  await waitFor('monitoring', async () => {
    const [d] = await deployments().list({ service: 'svc', limit: 5 });
    return d?.state === 'monitoring' ? d : undefined;
  });
  let killed: Promise<void> | undefined;
  world.slack.beforeAnswer(({ method, params }) => {
    if (killed || method !== 'chat.postMessage' || params.channel !== INCIDENT_CHANNEL || params.thread_ts)
      return;
    killed = first.kill();
    return undefined;
  });
  world.pagerDuty.health = 503;
  await waitFor('the bot killed while posting the incident', () => (killed ? true : undefined), 30_000);
  await killed;
  world.slack.beforeAnswer(undefined);

  const bot = await world.start(SLOW_START);
  try {
    await waitFor(
      'the page',
      () => (world.pagerDuty.pagerduty.received.length > 0 ? true : undefined),
      60_000,
    );
    await new Promise((r) => setTimeout(r, 8_000));
    const incident = world.slack.messages.filter((m) => m.channel === INCIDENT_CHANNEL);
    const triggers = world.pagerDuty.pagerduty.received.filter((e) => e.event_action === 'trigger');
    expect(incident.filter((m) => !m.threadTs)).toHaveLength(1);
    // A page sent again after the crash carries the same dedup key: PagerDuty notifies once.
    expect(new Set(triggers.map((t) => t.dedup_key))).toEqual(new Set(['preflight/INC-1/L1']));
    expect(incident.filter((m) => /paged/.test(m.text) && m.threadTs)).toHaveLength(1);
  } finally {
    await bot.stop();
  }
}, 200_000);
