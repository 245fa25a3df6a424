import { Type, type Static } from 'typebox';
import { ERROR_CODES } from '../errors.ts';

/** A union of string literals from a shared list, keeping the literal types. */
export function literals<const T extends string[]>(values: readonly [...T]) {
  return Type.Enum<T>(values);
}

export const Uuid = Type.String({ format: 'uuid' });

/**
 * An instant the database can store and JavaScript can read back: years 2000–2099, seconds
 * 00–59 (no leap second: `Date.parse` gives NaN for :60), an explicit offset. `format` still
 * checks the calendar (no 31 February).
 */
export const INSTANT_PATTERN =
  '^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?)?(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])$';
export const IsoDateTime = Type.String({ format: 'date-time', pattern: INSTANT_PATTERN });

/**
 * Characters PostgreSQL cannot store in text (NUL), invisible control characters, and lone
 * UTF-16 surrogates (half an emoji, not valid Unicode). Both TypeBox and Fastify's Ajv compile
 * patterns with the `u` flag, so a well-formed surrogate pair (an emoji) is one code point and passes.
 */
const BAD_ALWAYS = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F\\uD800-\\uDFFF';
const BAD_IN_LINE = '\\t\\n\\r';
export const TEXT_PATTERN = `^[^${BAD_ALWAYS}]*$`;
export const LINE_PATTERN = `^[^${BAD_ALWAYS}${BAD_IN_LINE}]*$`;

/** Free text a person types (several lines allowed), bounded. */
export const Text = (maxLength: number, minLength = 0) => Type.String({ minLength, maxLength, pattern: TEXT_PATTERN });
/** One line a person types: a name, a title, a reason. */
export const Line = (maxLength: number, minLength = 0) => Type.String({ minLength, maxLength, pattern: LINE_PATTERN });

/** Mainland mobile numbers: 11 digits starting with 1. */
export const Phone = Type.String({ pattern: '^1[0-9]{10}$', maxLength: 11 });
export const Password = Type.String({ minLength: 8, maxLength: 128, pattern: LINE_PATTERN });
export const Name = Line(60, 1);

export const ErrorBody = Type.Object(
  {
    code: literals(Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[]),
    message: Type.String(),
  },
  { additionalProperties: true },
);

export const IdParams = Type.Object({ id: Uuid });
export type IdParams = Static<typeof IdParams>;

/** A device named in a URL (the sync report, revoking): the id the phone made for itself. */
export const ClientIdParams = Type.Object({ clientId: Line(64, 1) });

/** The error replies a route may give, for its response schema. */
export const errorReplies = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, ErrorBody])) as Record<number, typeof ErrorBody>;
