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

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

/** A cursor the server cannot read (old format, tampered) simply restarts the device's copy. */
export function decodeCursor(text: string | null): Cursor | null {
  if (!text) return null;
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (typeof c.k !== 'string' || typeof c.v !== 'object' || c.v === null) return null;
    return c;
  } catch {
    return null;
  }
}
