/**
 * examples/docker/Dockerfile says it holds the programs Sparkle's runbook calls: every program at the head of a
 * command in runbook.yaml (`run`, `verify`, `argv`) is in the Preflight image or in a Debian package it installs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/load-runbook.ts';

/** What node:24-slim and Preflight's own image already have (Debian's essential packages, bash, node). */
const inTheImage = ['cd', 'cat', 'echo', 'grep', 'ls', 'mkdir', 'sed', 'tail', 'tee', 'test', 'bash', 'node'];
/** The programs each Debian package the example may install puts on PATH. */
const programsOf: Record<string, string[]> = {
  curl: ['curl'],
  git: ['git'],
  make: ['make'],
  python3: ['python3'],
  'python-is-python3': ['python'],
  'docker.io': ['docker'],
  'docker-cli': ['docker'],
};

/** The program at the head of each command of every script in a runbook (after `&&`, `||`, `|`, `;`, `$(`). */
function programsCalled(runbook: unknown): Set<string> {
  const scripts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object')
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'run' || key === 'verify') && typeof value === 'string') scripts.push(value);
        else if (key === 'argv' && Array.isArray(value)) scripts.push(String(value[0]));
        else walk(value);
      }
  };
  walk(runbook);
  return new Set(
    scripts.flatMap((s) =>
      s.split(/&&|\|\||[|;\n]|\$\(/).flatMap((part) => part.trim().split(/\s+/)[0] || []),
    ),
  );
}

describe('examples/docker/Dockerfile', () => {
  it('installs every program Sparkle’s runbook calls that the Preflight image lacks', () => {
    const example = readFileSync(join(repoRoot, 'examples/docker/Dockerfile'), 'utf8');
    const packages = /apt-get install -y --no-install-recommends ([^\\&]+)/
      .exec(example)?.[1]
      ?.trim()
      .split(/\s+/);
    const provided = new Set([...inTheImage, ...(packages ?? []).flatMap((p) => programsOf[p] ?? [])]);
    const called = programsCalled(parse(readFileSync(join(repoRoot, 'runbook.yaml'), 'utf8')));
    const missing = [...called].filter((program) => !provided.has(program)).sort();
    // alembic is a Python package of Sparkle's own requirements, which the example says to install on top.
    expect(missing, 'programs runbook.yaml calls that the example image does not have').toEqual(['alembic']);
    expect(example).toMatch(/alembic/);
  });
});
