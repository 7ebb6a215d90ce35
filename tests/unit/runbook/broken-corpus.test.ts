/** The broken-runbook corpus: each fixture's diagnostics, exactly as `preflight validate` prints them. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, parseRunbook } from '../../../src/core/index.ts';
import { repoRoot } from '../../helpers/load-runbook.ts';

const dir = 'tests/fixtures/broken';
const fixtures = readdirSync(`${repoRoot}${dir}`)
  .filter((name) => name.endsWith('.yaml'))
  .sort();

/** Errors first, then warnings: the order the CLI prints them in. */
function diagnose(file: string): string[] {
  const result = parseRunbook(readFileSync(`${repoRoot}${file}`), file);
  return [...result.errors, ...result.warnings].map(formatDiagnostic);
}

function expected(file: string): string[] {
  return readFileSync(`${repoRoot}${file.replace(/\.yaml$/, '.expected')}`, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
}

describe('the broken-runbook corpus', () => {
  it('holds at least 30 fixtures, each with its .expected file and a NN-name.yaml name', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
    const names = readdirSync(`${repoRoot}${dir}`);
    for (const name of fixtures) {
      expect(name).toMatch(/^\d{2}-[a-z0-9-]+\.yaml$/);
      expect(names).toContain(name.replace(/\.yaml$/, '.expected'));
    }
  });

  it.each(fixtures)('%s', (name) => {
    const file = `${dir}/${name}`;
    const lines = diagnose(file);
    expect(lines).toEqual(expected(file));
    expect(
      lines.some((line) => !line.includes(': warning: ')),
      'a broken fixture has an error',
    ).toBe(true);
    for (const line of lines) expect(line).toMatch(/^tests\/fixtures\/broken\/[\w.-]+\.yaml:\d+:\d+: \S/);
  });
});
