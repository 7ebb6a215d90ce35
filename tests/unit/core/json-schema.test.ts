import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildRunbookJsonSchema } from '../../../src/core/index.ts';
import { repoRoot } from '../../helpers/load-runbook.ts';

const committed = JSON.parse(readFileSync(`${repoRoot}runbook.schema.json`, 'utf8'));

describe('runbook.schema.json', () => {
  it('is up to date with the zod schema (regenerate with: npm run schema)', () => {
    expect(committed).toEqual(buildRunbookJsonSchema());
  });

  it('accepts the repository runbooks and rejects a misspelt key, as editors will', () => {
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(committed);
    for (const file of ['runbook.yaml', 'examples/sandbox/runbook.yaml']) {
      const data = parse(readFileSync(`${repoRoot}${file}`, 'utf8'));
      expect(validate(data), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    const broken = parse(readFileSync(`${repoRoot}runbook.yaml`, 'utf8'));
    broken.steps[0].timout = '5m';
    expect(validate(broken)).toBe(false);
  });

  it('is referenced from the runbooks so editors find it', () => {
    expect(readFileSync(`${repoRoot}runbook.yaml`, 'utf8')).toMatch(
      /^# yaml-language-server: \$schema=\.\/runbook\.schema\.json/,
    );
  });
});
