/** The words Preflight knows in a command: its command words, and the services, environments and ids it serves. */
import type { RunbookCatalog } from '../core/index.ts';
import { withoutLookAlikes } from './parse-words.ts';
import { allCommands } from './registry.ts';

const fold = (word: string): string => withoutLookAlikes(word).toLowerCase();

/** A deployment id (`shop-12`) or an incident id (`INC-3`): its prefix. */
const ID = /^(.+)-\d+$/;

/**
 * Whether a word (in any case, with look-alike or invisible characters) is a command word, or, with `runbooks`, a
 * service, an environment, or the id of a deployment of a service or of an incident. Read when first asked.
 */
export function knownWords(
  runbooks?: Pick<RunbookCatalog, 'services' | 'current'>,
): (word: string) => boolean {
  let known: { readonly words: ReadonlySet<string>; readonly services: ReadonlySet<string> } | undefined;
  const read = () => {
    const services = runbooks?.services() ?? [];
    const environments = services.flatMap((s) =>
      Object.keys(runbooks?.current(s)?.runbook.environments ?? {}),
    );
    const commands = allCommands().flatMap((c) => c.name.split(' '));
    return {
      words: new Set([...commands, ...services, ...environments].map(fold)),
      services: new Set([...services.map(fold), 'inc']),
    };
  };
  return (word) => {
    known ??= read();
    const folded = fold(word);
    const prefix = ID.exec(folded)?.[1];
    return known.words.has(folded) || (prefix !== undefined && known.services.has(prefix));
  };
}
