/** The runbook JSON Schema that editors use to complete and check runbook files. */
import * as z from 'zod';
import { RunbookSchema } from './schema.ts';

/** The JSON Schema (draft 2020-12) of what authors write, as a JSON object. */
export function buildRunbookJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(RunbookSchema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  });
  return { ...schema, $id: 'https://preflight.dev/runbook.schema.json' };
}
