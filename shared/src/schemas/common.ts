import { Type, type Static } from 'typebox';
import { ERROR_CODES } from '../errors.ts';

/** A union of string literals from a shared list, keeping the literal types. */
export function literals<const T extends string[]>(values: readonly [...T]) {
  return Type.Enum<T>(values);
}

export const Uuid = Type.String({ format: 'uuid' });
export const IsoDateTime = Type.String({ format: 'date-time' });
/** Mainland mobile numbers: 11 digits starting with 1. */
export const Phone = Type.String({ pattern: '^1[0-9]{10}$' });
export const Password = Type.String({ minLength: 8, maxLength: 128 });
export const Name = Type.String({ minLength: 1, maxLength: 60 });

export const ErrorBody = Type.Object(
  {
    code: literals(Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[]),
    message: Type.String(),
  },
  { additionalProperties: true },
);

export const IdParams = Type.Object({ id: Uuid });
export type IdParams = Static<typeof IdParams>;

/** The error replies a route may give, for its response schema. */
export const errorReplies = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, ErrorBody])) as Record<number, typeof ErrorBody>;
