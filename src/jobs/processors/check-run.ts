/** `checklist.run`, `deployment.verify`, `emergency.run`, `monitoring.tick`, `success.evaluate`. */
import type { Job } from 'bullmq';
import { applyEvent, checkExpectation, formatDuration, literal } from '../../core/index.ts';
import type { CheckJob } from '../job-types.ts';
import { captureBaselines } from './evaluate-triggers.ts';
import { runIncidentEmergency } from './incident-emergency.ts';
import { runHealthTick, runTriggerTick } from './monitor-tick.ts';
import { runTasksJob } from './monitoring-tasks.ts';
import { sendPagerEvent } from './pager-send.ts';
import { probeChecks, summarizeHealth } from './probe-checks.ts';
import type { ProcessorDeps } from './processor-deps.ts';
import { runEmergency } from './run-emergency.ts';
import { toStepCommand } from './run-step-command.ts';

/** Creates the processor of the checks queue. */
export function createCheckProcessor(
  deps: ProcessorDeps,
  onMonitorStale: (job: Job<CheckJob>) => Promise<void>,
) {
  const note = (deploymentId: string, key: string, text: string) =>
    deps.notifier.deliver(deploymentId, { type: 'post', topic: { kind: 'note', key, text } });

  return async function processCheck(job: Job<CheckJob>, token?: string): Promise<void> {
    const data = job.data;
    if (data.kind === 'incident-emergency') return runIncidentEmergency(deps, data, String(job.id));
    if (data.kind === 'pager') return sendPagerEvent(deps, job, data, token);
    const deployment = await deps.engine.store.get(data.deploymentId);
    if (!deployment) return;
    const runbook = await deps.engine.runbooks.pinned(deployment.runbookDigest);
    const request = {
      runbook,
      deployment,
      phase: 'deploy' as const,
      attempt: 1,
      signal: AbortSignal.timeout(60 * 60_000),
    };
    switch (data.kind) {
      case 'checklist': {
        const item = runbook.checklist?.find((i) => i.id === data.item);
        const run = deployment.checklist.find((i) => i.id === data.item);
        if (!item || run?.status !== 'running' || deployment.state !== 'checklist') return;
        const command = toStepCommand(deps, { ...request, step: item.id }, item);
        const result = await deps.runner.run(command, { signal: request.signal });
        const verdict =
          result.outcome === 'timed_out'
            ? { passed: false, detail: `timed out after ${formatDuration(command.timeoutMs)}` }
            : checkExpectation(item.expect, { exitCode: result.exitCode, stdout: result.outputTail });
        const detail = result.failure && !verdict.passed ? result.failure : verdict.detail;
        await applyEvent(deps.engine, deployment.id, {
          type: 'checklist.result',
          item: item.id,
          passed: verdict.passed,
          detail,
          outputTail: result.outputTail,
        });
        return;
      }
      case 'verify': {
        if (deployment.state !== 'verifying') return;
        const results = await probeChecks(deps, runbook, deployment);
        // An unknown check (its monitoring unreachable) does not fail the verification; it is shown as unknown.
        const failing = results.filter((r) => !r.passed && !r.unknown);
        await applyEvent(deps.engine, deployment.id, {
          type: 'verify.result',
          passed: failing.length === 0,
          detail: summarizeHealth(failing.length > 0 ? failing : results),
        });
        return;
      }
      case 'emergency': {
        const by = data.by === undefined ? 'someone' : (runbook.people[data.by]?.name ?? data.by);
        const who = `asked by ${by} with /deploy abort --emergency of ${deployment.id}; its output goes to that thread`;
        for (const which of ['stop', 'logs'] as const) {
          const spec = runbook.emergency?.[which];
          if (!spec) continue;
          const run = () =>
            deps.runner.run(toStepCommand(deps, { ...request, step: `emergency-${which}` }, spec), {
              signal: request.signal,
            });
          const outcome = await runEmergency(deps, which, deployment, { id: String(job.id), who }, run);
          await note(
            deployment.id,
            `emergency:${which}`,
            'busy' in outcome
              ? `Emergency ${which} not run: ${outcome.busy}.`
              : `Emergency ${which} ${outcome.how}:\n${outcome.output ? literal(outcome.output) : '(no output)'}`,
          );
        }
        return;
      }
      case 'monitor':
        if (deployment.state !== 'monitoring') return onMonitorStale(job);
        return runHealthTick(deps, runbook, deployment, data.window);
      case 'triggers':
        if (deployment.state !== 'monitoring') return onMonitorStale(job);
        return runTriggerTick(deps, runbook, deployment);
      case 'baseline':
        await captureBaselines(deps, runbook, deployment);
        return;
      case 'success': {
        const criterion = runbook.success?.find((c) => c.id === data.criterion);
        if (!criterion || !['monitoring', 'succeeded'].includes(deployment.state)) return;
        const results = await probeChecks(deps, runbook, deployment, criterion.require ?? []);
        const met = results.every((r) => r.passed);
        const confirm = (criterion.criteria ?? []).map((c) => `\n  - ${c}`).join('');
        const checks = results.length > 0 ? summarizeHealth(results) : '';
        await applyEvent(deps.engine, deployment.id, {
          type: 'success.result',
          criterion: criterion.id,
          title: criterion.title,
          met,
          detail: checks ? `${checks}.` : '',
          text: `${criterion.title}: ${met ? 'met' : 'NOT met'}.${checks ? ` ${literal(checks)}.` : ''}${confirm ? `\nPlease confirm:${confirm}` : ''}`,
        });
        return;
      }
      case 'tasks':
        return runTasksJob(deps, runbook, deployment, data.window, data.phase);
    }
  };
}
