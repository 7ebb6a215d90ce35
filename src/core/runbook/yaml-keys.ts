/**
 * Duplicate keys, found in one pass. The YAML parser's own `uniqueKeys` check compares each key with every key
 * before it in its mapping, so a file of tens of thousands of keys (still under 1 MB) took minutes to validate;
 * this reports the same errors, at the same keys, with a set per mapping. A key that is a list or a mapping is
 * an error of its own: a runbook's keys are words.
 */
import { type Document, isCollection, isScalar, visit, YAMLParseError } from 'yaml';

export function findKeyErrors(doc: Document): YAMLParseError[] {
  const errors: YAMLParseError[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = pair.key;
        if (isCollection(key) && key.range) {
          errors.push(
            new YAMLParseError(
              [key.range[0], key.range[1]],
              'BAD_COLLECTION_TYPE',
              'a key must be a word or a quoted string, not a list or a mapping',
            ),
          );
          continue;
        }
        if (!isScalar(key) || !key.range) continue;
        const id = `${typeof key.value}:${String(key.value)}`;
        if (seen.has(id))
          errors.push(
            new YAMLParseError([key.range[0], key.range[1]], 'DUPLICATE_KEY', 'Map keys must be unique'),
          );
        else seen.add(id);
      }
    },
  });
  return errors;
}
