import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
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
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    // A CommonJS module: Node's default import is its exports object, whose `default` is the plugin.
    ajvFormats.default(ajv);
    const validate = ajv.compile(committed);
    for (const file of ['runbook.yaml', 'examples/sandbox/runbook.yaml']) {
      const data = parse(readFileSync(`${repoRoot}${file}`, 'utf8'));
      expect(validate(data), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    const broken = parse(readFileSync(`${repoRoot}runbook.yaml`, 'utf8'));
    broken.steps[0].timout = '5m';
    expect(validate(broken)).toBe(false);
    const badUrl = parse(readFileSync(`${repoRoot}runbook.yaml`, 'utf8'));
    badUrl.health[0].http.url = 'not a url';
    expect(validate(badUrl)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toContain('/health/0/http/url');
  });

  it('checks durations and times as validate does: an empty duration, 25:99 and a bare + are refused', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajvFormats.default(ajv);
    const validate = ajv.compile(committed);
    const runbook = () => parse(readFileSync(`${repoRoot}runbook.yaml`, 'utf8'));
    const cases: [string, (r: ReturnType<typeof runbook>) => void, string][] = [
      ['empty timeout', (r) => (r.steps[0].timeout = ''), '/steps/0/timeout'],
      ['25:99 window start', (r) => (r.window.start = '25:99'), '/window/start'],
      ['bare + step time', (r) => (r.steps[0].at = '+'), '/steps/0/at'],
      ['24:30 step time', (r) => (r.steps[0].at = '24:30'), '/steps/0/at'],
    ];
    for (const [what, change, path] of cases) {
      const data = runbook();
      change(data);
      expect(validate(data), what).toBe(false);
      expect(
        validate.errors?.map((e) => e.instancePath),
        what,
      ).toContain(path);
    }
    const fine = runbook();
    fine.steps[0].timeout = ' 1h30m ';
    fine.steps[0].at = '+ 5m';
    expect(validate(fine), JSON.stringify(validate.errors)).toBe(true);
  });

  it('is referenced from the runbooks so editors find it', () => {
    expect(readFileSync(`${repoRoot}runbook.yaml`, 'utf8')).toMatch(
      /^# yaml-language-server: \$schema=\.\/runbook\.schema\.json/,
    );
  });
});
