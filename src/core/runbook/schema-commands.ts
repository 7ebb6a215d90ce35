/** Commands the runbook runs: checklist checks, steps, verifications, rollback and emergency commands. */
import * as z from 'zod';
import {
  COMMAND_TIMEOUT_MAX_MS,
  ComparisonSchema,
  Duration,
  EnvValues,
  Id,
  PositiveDuration,
  Refs,
  StepTimeSchema,
} from './schema-scalars.ts';

/** What a command's result must look like to count as passed. */
export const Expectation = z
  .strictObject({
    exit_code: z.int().min(0).max(255).optional().meta({ description: 'Expected exit code (default 0).' }),
    stdout: z.string().optional().meta({ description: 'Standard output must equal this (trimmed).' }),
    contains: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    not_contains: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    matches: z.string().optional().meta({ description: 'A regular expression the output must match.' }),
    lines: z
      .union([z.int().min(0), ComparisonSchema])
      .optional()
      .meta({ description: 'Number of output lines, or a comparison like ">= 5".' }),
  })
  .meta({ description: 'Expectations on a command result; all given must hold.' });

const commandFields = {
  run: z.string().min(1).optional().meta({ description: 'A bash script, run with -euo pipefail.' }),
  argv: z
    .array(z.string())
    .min(1)
    .optional()
    .meta({ description: 'A program and its arguments, run without a shell.' }),
  cwd: z.string().optional().meta({ description: 'Working directory, relative to the runbook workdir.' }),
  env: EnvValues.optional(),
  timeout: PositiveDuration.refine(
    (ms) => ms <= COMMAND_TIMEOUT_MAX_MS,
    'a command timeout may be at most 24d (the longest timer Node.js can set)',
  ).optional(),
  expect: Expectation.optional(),
};

export const Verify = z.union([
  z.string().min(1),
  z.strictObject({ ...commandFields }).meta({ description: 'A verification command and its expectation.' }),
]);

export const OnFailure = z.enum(['stop', 'rollback', 'ask']);

export const ChecklistItem = z.strictObject({
  id: Id,
  title: z.string().min(1),
  section: z.string().optional().meta({ description: 'Heading the item is listed under.' }),
  owner: Refs.optional().meta({ description: 'Who ticks a manual item (person or group ids).' }),
  ...commandFields,
});

export const Step = z.strictObject({
  id: Id,
  label: z.string().optional().meta({ description: 'The number or label the team uses, e.g. "1.5".' }),
  title: z.string().min(1),
  at: StepTimeSchema.optional(),
  needs: z.array(Id).optional().meta({ description: 'Gates that must pass before this step starts.' }),
  ...commandFields,
  verify: Verify.optional(),
  retries: z.int().min(0).max(10).optional(),
  backoff: Duration.optional(),
  idempotent: z
    .boolean()
    .optional()
    .meta({ description: 'Safe to re-run after a crash or failure (default false).' }),
  on_failure: OnFailure.optional().meta({
    description: 'stop, rollback, or ask the operator (default ask).',
  }),
});

export const RollbackStep = z.strictObject({
  id: Id,
  title: z.string().min(1).optional(),
  ...commandFields,
  verify: Verify.optional(),
  retries: z.int().min(0).max(10).optional(),
  backoff: Duration.optional(),
  idempotent: z.boolean().optional(),
  optional: z
    .boolean()
    .optional()
    .meta({ description: 'A failure of this step does not fail the rollback.' }),
  confirm: z.boolean().optional().meta({
    description: 'Ask the operator to run or skip this step ("if needed" steps such as a database restore).',
  }),
});

export const EmergencyCommand = z.strictObject({
  title: z.string().optional(),
  ...commandFields,
});

export const Emergency = z.strictObject({
  stop: EmergencyCommand.optional(),
  logs: EmergencyCommand.optional(),
  contact: z
    .strictObject({ channel: z.string().optional(), phone: z.string().optional() })
    .optional()
    .meta({ description: 'Who to reach when everything else fails.' }),
});

export const Gate = z.strictObject({
  title: z.string().min(1).optional(),
  description: z.string().optional(),
  approvers: Refs,
  required: z
    .int()
    .min(1)
    .optional()
    .meta({ description: 'How many distinct approvers must approve (default 1).' }),
  expires: PositiveDuration.optional().meta({ description: 'A pending request expires after this long.' }),
  remind_every: PositiveDuration.optional().meta({
    description: 'Remind the approvers this often while pending.',
  }),
  allow_self: z
    .boolean()
    .optional()
    .meta({ description: "Let the requester's own approval count (default false)." }),
});
