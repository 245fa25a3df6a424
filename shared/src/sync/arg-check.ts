import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { mutationDef, type MutationName } from './registry.ts';
import { fieldErrors, type SchemaError } from './validation-text.ts';

/**
 * A form's arguments checked against the very schema the server applies, before anything is
 * queued: the problems by form field, in the member's words ({} when all is well). A form shows
 * each under its field instead of sending work the server would refuse.
 */
export function argErrors(name: MutationName, args: unknown, lang: 'zh' | 'en' = 'zh'): Record<string, string> {
  const found = mutationDef(name);
  if (!found) throw new Error(`no mutation ${name}`);
  // A plain copy, as the wire will carry it (no undefined keys, no reactive proxies).
  const plain: unknown = JSON.parse(JSON.stringify(args ?? null));
  if (Value.Check(found.def.args, plain)) return {};
  return fieldErrors(Value.Errors(found.def.args, plain) as Iterable<SchemaError>, found.kind, lang);
}

/** One argument's schema by its dotted path ('summary', 'changes.notes.value'), unions skipped. */
export function argSchema(name: MutationName, path: string): TSchema | undefined {
  let schema = mutationDef(name)?.def.args as (TSchema & { properties?: Record<string, TSchema> }) | undefined;
  for (const key of path.split('.')) schema = schema?.properties?.[key] as typeof schema;
  return schema;
}

/**
 * The most characters a text argument takes: an input's `maxlength` and word counter come from
 * the schema, so the form and the server never disagree on a number typed twice.
 */
export function maxLengthOf(name: MutationName, path: string): number | undefined {
  const max = (argSchema(name, path) as { maxLength?: unknown } | undefined)?.maxLength;
  return typeof max === 'number' ? max : undefined;
}
