import { Type } from 'typebox';
import { Value } from 'typebox/value';

/**
 * The pull cursor, opaque to the device: the scope it was made for, and per space the last
 * (version, seq) delivered. While a first snapshot is being paged it also holds the table and
 * id reached, and the versions read when the snapshot began.
 */
export interface Cursor {
  k: string;
  v: Record<string, [number, number]>;
  s?: { t: number; after: string | null; base: Record<string, number> };
}

/** Past every seq of a version: the version is fully delivered. */
export const WHOLE_VERSION = Number.MAX_SAFE_INTEGER;

const Position = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Uuid = Type.String({ format: 'uuid' });
const CursorSchema = Type.Object(
  {
    k: Type.String({ maxLength: 200 }),
    v: Type.Record(Uuid, Type.Tuple([Position, Position])),
    s: Type.Optional(Type.Object({ t: Type.Integer({ minimum: 0, maximum: 1000 }), after: Type.Union([Uuid, Type.Null()]), base: Type.Record(Uuid, Position) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

/** A cursor the server cannot read (old format, tampered) restarts the device's copy. */
export function decodeCursor(text: string | null): Cursor | null {
  if (!text) return null;
  try {
    const c: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    return Value.Check(CursorSchema, c) ? (c as Cursor) : null;
  } catch {
    return null;
  }
}
