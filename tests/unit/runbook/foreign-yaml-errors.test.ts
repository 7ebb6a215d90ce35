/**
 * A YAML syntax error in a file that is no runbook (one of secrets, given by mistake) says where and what is wrong,
 * quoting nothing of the file; a runbook with the same mistake is still told what to write, in its own words.
 */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, parseRunbook } from '../../../src/core/index.ts';

const diagnose = (text: string): string[] => parseRunbook(text, 'r.yaml').errors.map(formatDiagnostic);

const STARTS = 'a runbook is a YAML mapping that starts with version: 1 and service: …';
const SECRETS = ['hunter2', 'tok-4f9a', 'db_password', 'api_token', 'root:x', 'REDACTED'];

describe('a YAML syntax error in a file that is no runbook', () => {
  it.each([
    [
      'a value holding ": "',
      'db_password: hunter2-pw: x\napi_token: tok-4f9a2c\n',
      '1:14',
      'this value contains ": ", which YAML reads as a nested key',
    ],
    [
      'a key without ":"',
      'db_password hunter2-pw\napi_token: tok-4f9a2c\n',
      '1:1',
      'this line has no ":" after its key, so YAML joins it with the next line into one key',
    ],
    [
      'a key indented too far',
      'db_password: hunter2-pw\n  api_token: tok-4f9a2c\n',
      '2:3',
      'this key is indented more than the key above it, so YAML reads it as part of the value on line 1',
    ],
    [
      'a key given twice',
      'db_password: hunter2-pw\ndb_password: tok-4f9a2c\n',
      '2:1',
      'this key is set twice in one mapping',
    ],
    [
      'an escape the parser quotes',
      'db_password: "hunter2\\q"\napi_token: tok-4f9a2c\n',
      '1:22',
      'a "\\" escape in a double-quoted value is not valid',
    ],
    [
      'an empty value before a list',
      'db_password: {}\n  - hunter2-pw\napi_token: tok-4f9a2c\n',
      '1:14',
      '"{}" gives the key above an empty value, so the list under it belongs to nothing',
    ],
  ])('%s: where, and what is wrong, in words of its own', (_what, text, at, wrong) => {
    const [line, ...more] = diagnose(text);
    expect(more).toEqual([]);
    expect(line).toBe(
      `r.yaml:${at}: this file is not a runbook (none of its top-level keys is a runbook's), and its YAML cannot be read here: ${wrong}; ${STARTS}`,
    );
    for (const secret of SECRETS) expect(line).not.toContain(secret);
  });

  it('a passwd file with a ": " in it: no line of it', () => {
    const passwd = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1: daemon:/usr/sbin:/usr/sbin/nologin\n';
    const [line] = diagnose(passwd);
    expect(line).toMatch(
      /^r\.yaml:1:1: this file is not a runbook \(none of its top-level keys is a runbook's\)/,
    );
    for (const secret of SECRETS) expect(line).not.toContain(secret);
  });

  it('a list that is never closed: no top-level keys can be read', () => {
    expect(diagnose('[hunter2, tok-4f9a2c\n')).toEqual([
      `r.yaml:2:1: this file is not a runbook (no top-level keys can be read), and its YAML cannot be read here: a closing character (a quote, "]" or "}") is missing; ${STARTS}`,
    ]);
  });
});

describe('a YAML syntax error in a runbook', () => {
  it('still says what to write, quoting the runbook', () => {
    expect(diagnose('version: 1\nservice: shop: x\nsteps: []\n')).toEqual([
      'r.yaml:2:10: this value contains ": ", which YAML reads as a nested key; put the whole value in quotes: "shop: x"',
    ]);
    expect(diagnose('version 1\nservice: shop\nsteps: []\n')).toEqual([
      'r.yaml:1:1: "version 1" has no ":" after its key, so YAML joins it with the next line into one key; did you mean "version: 1"?',
    ]);
  });
});
