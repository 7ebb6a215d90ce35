/** The environment a step runs with: minimal, and never the bot's own tokens (design.md §5). */
import type { Runbook } from '../runbook/schema.ts';
import type { Deployment, Phase } from './deployment.ts';

export interface StepEnvInput {
  readonly runbook: Runbook;
  readonly deployment: Deployment;
  readonly phase: Phase;
  readonly step: string;
  readonly attempt: number;
  /** The step's own `env`. */
  readonly stepEnv?: Readonly<Record<string, string>>;
  /** PATH and HOME for steps, from Preflight's configuration. */
  readonly path: string;
  readonly home: string;
  /** Values of the runbook's `requires.env`. */
  readonly secrets: Readonly<Record<string, string>>;
  /** The run (job) that runs this attempt; lets recovery find the process if its worker dies. */
  readonly runId?: string;
}

/**
 * Builds a step's whole environment: PATH and HOME, the runbook's `env`, the environment's `env`, the step's
 * `env`, the required variables, and the PREFLIGHT_* values last so nothing can override them.
 * Chat-supplied values reach scripts only here, as variables; they are never spliced into script text.
 */
export function buildStepEnv(input: StepEnvInput): Record<string, string> {
  const { runbook, deployment } = input;
  return {
    PATH: input.path,
    HOME: input.home,
    LANG: 'C.UTF-8',
    ...runbook.env,
    ...runbook.environments[deployment.environment]?.env,
    ...input.stepEnv,
    ...input.secrets,
    PREFLIGHT_SERVICE: deployment.service,
    PREFLIGHT_VERSION: deployment.version,
    PREFLIGHT_PREVIOUS_VERSION: deployment.previousVersion ?? '',
    PREFLIGHT_ENVIRONMENT: deployment.environment,
    PREFLIGHT_DEPLOYMENT_ID: deployment.id,
    PREFLIGHT_REQUESTED_BY: deployment.requestedBy,
    PREFLIGHT_PHASE: input.phase,
    PREFLIGHT_STEP: input.step,
    PREFLIGHT_ATTEMPT: String(input.attempt),
    ...(input.runId !== undefined && { PREFLIGHT_RUN_ID: input.runId }),
  };
}
