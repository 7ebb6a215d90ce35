/**
 * Credentials piped into a tool's standard input (`echo S3cret | docker login --password-stdin`, `chpasswd`,
 * `passwd --stdin`, `gh auth login --with-token`): what `echo` or `printf` writes there is hidden, and the option that
 * reads standard input takes no value (the registry after it stays readable). Other pipes stay as written.
 */
import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from '../../../src/core/index.ts';

const redactor = createRedactor({ secrets: [] });

const REDACTED_LINES: ReadonlyArray<readonly [string, string]> = [
  [
    'echo hunter2pw | docker login -u me --password-stdin registry.example',
    `echo ${REDACTED} | docker login -u me --password-stdin registry.example`,
  ],
  [
    'echo -n "hunter2pw" | docker login -u me --password-stdin',
    `echo -n "${REDACTED}" | docker login -u me --password-stdin`,
  ],
  [
    "printf '%s' hunter2pw | helm registry login r.io -u me --password-stdin",
    `printf '%s' ${REDACTED} | helm registry login r.io -u me --password-stdin`,
  ],
  [
    'printf hunter2pw | podman login --password-stdin quay.io',
    `printf ${REDACTED} | podman login --password-stdin quay.io`,
  ],
  ["echo 'deploy:S3cretPw' | sudo chpasswd", `echo 'deploy:${REDACTED}' | sudo chpasswd`],
  ['echo S3cretPw | passwd --stdin deploy', `echo ${REDACTED} | passwd --stdin deploy`],
  ['echo gho_0123456789abcdef | gh auth login --with-token', `echo ${REDACTED} | gh auth login --with-token`],
  [
    'cd /srv && echo hunter2pw | docker login --password-stdin r.io && docker push r.io/app',
    `cd /srv && echo ${REDACTED} | docker login --password-stdin r.io && docker push r.io/app`,
  ],
];

const KEPT_LINES: readonly string[] = [
  // A variable's name says what was used, and is no secret.
  'echo "$REGISTRY_PASSWORD" | docker login -u me --password-stdin',
  'echo hello | grep h',
  'echo done || exit 1',
  'echo $? | tee out',
  'docker login -u me --password-stdin registry.example < pw.txt',
  'printf "%s\\n" one two three | sort',
];

describe('credentials piped into standard input', () => {
  it.each(REDACTED_LINES)('%s', (line, expected) => {
    expect(redactor.redact(line)).toBe(expected);
  });

  it.each(KEPT_LINES)('keeps %s', (line) => {
    expect(redactor.redact(line)).toBe(line);
  });
});
