/** Why a file could not be written, in words that say what to change (the CLI's --out). */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';

/** The reason a write of `file` failed: a missing folder, a folder in the way, no permission; else the system's. */
export function describeWriteError(error: unknown, file: string): string {
  const { code, message } = error as NodeJS.ErrnoException;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR': {
      const folder = dirname(file);
      const kind = statSync(folder, { throwIfNoEntry: false });
      if (kind === undefined) return `the folder ${folder} does not exist; create it or write elsewhere`;
      if (!kind.isDirectory()) return `${folder} is not a folder; write elsewhere`;
      // The folder is there but takes no new file (a system folder such as /proc): said without the system's words.
      return `the folder ${folder} takes no new file; write elsewhere`;
    }
    case 'EISDIR':
      return 'it is a folder; name a file in it';
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'no permission to write there; write elsewhere';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full; free some space or write elsewhere';
    default:
      return code ?? message;
  }
}
