/**
 * The version of the mutation formats this build writes. Bump it when an argument shape
 * changes, and teach `upgradeArgs` (mutators.ts) the step from the previous one: phones may push
 * work queued by an older app version for days after an upgrade, and it must be converted, never
 * refused. A module of its own so that the phone's sync engine can name it without loading the
 * mutators and their schema checks at start.
 */
export const SCHEMA_VERSION = 2;
export const OLDEST_SCHEMA_VERSION = 1;
