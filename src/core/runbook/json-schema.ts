/** The runbook JSON Schema that editors use to complete and check runbook files. */
import * as z from 'zod';
import { RunbookSchema } from './schema.ts';

/** The JSON Schema (draft 2020-12) of what authors write, as a JSON object. */
export function buildRunbookJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(RunbookSchema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    // URLs may say `${NAME}` for a value of the runbook's env (expand-url-refs.ts), which no URI format allows.
    override: (ctx) => {
      const json = ctx.jsonSchema;
      if (json.format !== 'uri') return;
      delete json.format;
      json.pattern = '^(https?://|\\$\\{)';
    },
  });
  return { ...schema, $id: 'https://preflight.dev/runbook.schema.json' };
}
