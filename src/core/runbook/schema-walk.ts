/** Walks the zod schema along a data path, to list the keys a mapping may have. */
import * as z from 'zod';
import type { DiagnosticPath } from './diagnostic.ts';

interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly keyType?: z.ZodType;
  readonly entries?: Record<string, string | number>;
  readonly options?: readonly z.ZodType[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(schema: z.ZodType): z.ZodType[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return def.innerType ? unwrap(def.innerType) : [];
    case 'pipe':
      return def.in ? unwrap(def.in) : [];
    case 'union':
      return (def.options ?? []).flatMap(unwrap);
    default:
      return [schema];
  }
}

function step(schema: z.ZodType, part: string | number): z.ZodType[] {
  return unwrap(schema).flatMap((s) => {
    const def = defOf(s);
    if (def.type === 'array' && typeof part === 'number' && def.element) return [def.element];
    if (def.type === 'object' && typeof part === 'string' && def.shape?.[part]) return [def.shape[part]];
    if (def.type === 'record' && def.valueType) return [def.valueType];
    return [];
  });
}

/** The keys allowed in the mapping at `path` (an object's fields, or a record's enum keys); empty when any key goes. */
export function knownKeysAt(root: z.ZodType, path: DiagnosticPath): string[] {
  let current: z.ZodType[] = [root];
  for (const part of path) current = current.flatMap((s) => step(s, part));
  const keys = new Set<string>();
  for (const s of current.flatMap(unwrap)) {
    const def = defOf(s);
    if (def.type === 'object') for (const key of Object.keys(def.shape ?? {})) keys.add(key);
    const keyDef = def.type === 'record' && def.keyType ? defOf(def.keyType) : undefined;
    if (keyDef?.type === 'enum') for (const key of Object.values(keyDef.entries ?? {})) keys.add(String(key));
  }
  return [...keys];
}

/** Example values declared on the schema at `path` (through optional and pipe wrappers), if any. */
export function examplesAt(root: z.ZodType, path: DiagnosticPath): string[] {
  let current: z.ZodType[] = [root];
  for (const part of path) current = current.flatMap((s) => step(s, part));
  for (let layer of current) {
    for (let guard = 0; guard < 8; guard++) {
      const examples = z.globalRegistry.get(layer)?.examples;
      if (Array.isArray(examples)) return examples.map(String);
      const def = defOf(layer);
      const next = def.innerType ?? def.in;
      if (!next) break;
      layer = next;
    }
  }
  return [];
}
