/** Finding and reading runbook files: one file, or every YAML file in a folder. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Diagnostic,
  escapeFileName,
  parseRunbook,
  type RunbookCheckOptions,
  type RunbookResult,
} from '../core/index.ts';
import { lezerPromqlSyntax } from './promql/lezer-promql-syntax.ts';

export class RunbookFileError extends Error {
  readonly code = 'RUNBOOK_UNREADABLE';
  /** The file or folder the message starts with, as given. */
  readonly file: string;

  constructor(message: string, file: string) {
    super(message);
    this.file = file;
  }
}

const MAX_READ_BYTES = 16 * 1024 * 1024;

/**
 * A YAML file in a runbooks folder is a runbook when it has a top-level `version:`, `service:` or `steps:` key, in
 * any case: a runbook with a mistyped `Service:` is validated (and told so), not skipped.
 */
const RUNBOOK_KEY = /^["']?(?:version|service|steps)["']?[ \t]*:/im;

/** The runbook Preflight reads when none is named and RUNBOOK is unset. */
export const DEFAULT_RUNBOOK = 'runbook.yaml';

/** Why a path is missing: for the default, also where that name came from and how to name another. */
function missing(path: string, what: string): string {
  return path === DEFAULT_RUNBOOK
    ? `${path}: ${what} here (the runbook read when none is named); name a runbook file or folder, or set RUNBOOK to one`
    : `${path}: ${what}`;
}

/** What ELOOP means, in words: stat and readFile follow links, and these never end in a file. */
const LINK_LOOP =
  'is a symbolic link that leads back to itself (through other links); point it at the runbook file';

/** The runbook files a path names, and the folder's other YAML files (alert rules, …), which are skipped. */
export async function findRunbookFiles(path: string): Promise<{ files: string[]; skipped: string[] }> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw new RunbookFileError(`${path}: ${LINK_LOOP}`, path);
    throw new RunbookFileError(missing(path, 'no such file or folder'), path);
  }
  if (!info.isDirectory()) return { files: [path], skipped: [] };
  const names = (await readdir(path)).filter((n) => /\.ya?ml$/.test(n) && !n.startsWith('.')).sort();
  if (names.length === 0) {
    const nested = await subfolderWithYaml(path);
    throw new RunbookFileError(
      `${path}: the folder holds no .yaml or .yml runbook files${nested === undefined ? '' : ` (its subfolders are not read); name one that does, e.g. ${escapeFileName(nested)}`}`,
      path,
    );
  }
  const files: string[] = [];
  const skipped: string[] = [];
  for (const file of names.map((n) => join(path, n))) {
    // Unreadable, too large, or not a plain file (a pipe would never end): kept, and reported when loaded.
    const plain = await stat(file).then(
      (i) => i.isFile() && i.size <= MAX_READ_BYTES,
      () => false,
    );
    const text = plain ? await readFile(file, 'utf8').catch(() => 'version:') : 'version:';
    (RUNBOOK_KEY.test(text) ? files : skipped).push(file);
  }
  if (files.length === 0)
    throw new RunbookFileError(
      `${path}: none of its YAML files is a runbook (a runbook starts with version: 1 and service: …)`,
      path,
    );
  return { files, skipped };
}

/** The first subfolder (sorted) that holds a YAML file, for a folder that holds none itself. */
async function subfolderWithYaml(path: string): Promise<string | undefined> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  const folders = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  for (const name of folders.sort()) {
    const inner = await readdir(join(path, name)).catch(() => []);
    if (inner.some((n) => /\.ya?ml$/.test(n) && !n.startsWith('.'))) return join(path, name);
  }
  return undefined;
}

/** The runbook files a path names: the file itself, or the runbooks among a folder's *.yaml / *.yml (sorted). */
export async function listRunbookFiles(path: string): Promise<string[]> {
  return (await findRunbookFiles(path)).files;
}

/** Reads and validates one runbook file. Unreadable files throw RunbookFileError. */
export async function loadRunbookFile(
  file: string,
  options: RunbookCheckOptions = {},
): Promise<RunbookResult & { readonly source?: string }> {
  let bytes: Uint8Array;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new RunbookFileError(`${file}: is a folder, not a runbook file`, file);
    // A device or a pipe has no size to check and may never end (/dev/zero, a FIFO): only plain files are read.
    if (!info.isFile())
      throw new RunbookFileError(
        `${file}: is not a plain file (a device, a pipe or a socket); give a runbook file`,
        file,
      );
    if (info.size > MAX_READ_BYTES) {
      const error: Diagnostic = {
        file,
        line: 1,
        col: 1,
        severity: 'error',
        message: `the file is ${(info.size / 1048576).toFixed(1)} MB; a runbook may be at most 1 MB`,
      };
      return { errors: [error], warnings: [] };
    }
    bytes = await readFile(file);
  } catch (error) {
    if (error instanceof RunbookFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && file === DEFAULT_RUNBOOK)
      throw new RunbookFileError(missing(file, 'no such file'), file);
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'ELOOP'
            ? `it ${LINK_LOOP}`
            : String((error as Error).message);
    throw new RunbookFileError(`${file}: cannot read the runbook: ${reason}`, file);
  }
  const result = parseRunbook(bytes, file, { promql: lezerPromqlSyntax, ...options });
  return result.runbook ? { ...result, source: new TextDecoder().decode(bytes) } : result;
}
