/**
 * Through Discord: an incident declared for a service and environment that no deployment of Preflight's has reached
 * (the service was deployed by hand before Preflight, or only its other environments went through it). Its message
 * offers Emergency stop and Emergency logs; pressing them runs the runbook's commands for that service and
 * environment and posts their output in the incident's thread (they said "not run: no deployment … to run it for").
 */
import { expect, it } from 'vitest';
import { openToyIncident } from '../helpers/discord-incident.ts';
import { BOB, inThread, useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox({
  runbook: (text) =>
    text
      .replace('run: node toy.mjs stop,', 'run: echo "stopped $PREFLIGHT_SERVICE $PREFLIGHT_ENVIRONMENT",')
      .replace(
        `run: 'tail -n 100 "$SANDBOX_DIR/toy.log"'`,
        `run: 'echo "logs of $PREFLIGHT_SERVICE $PREFLIGHT_ENVIRONMENT"'`,
      ),
});

it('runs the emergency stop and logs of an incident whose service was never deployed there', async () => {
  const h = harness();
  const root = await openToyIncident(h);
  expect((await h.answer(h.click(BOB, root, 'incident.emergency|INC-1:stop'))).content).toBe(
    'emergency stop started; its output goes to the INC-1 thread',
  );
  const stop = await h.waitFor('the stop in the thread', inThread(h, root.id, '🛑 Emergency stop'));
  expect(stop.content).toContain('🛑 Emergency stop finished');
  expect(stop.content).toContain('stopped toy production');
  await h.answer(h.click(BOB, root, 'incident.emergency|INC-1:logs'));
  const logs = await h.waitFor('the logs in the thread', inThread(h, root.id, '🛑 Emergency logs'));
  expect(logs.content).toContain('🛑 Emergency logs finished');
  expect(logs.content).toContain('logs of toy production');
}, 90_000);
