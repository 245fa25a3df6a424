import { conflicts } from './conflicts.ts';
import { disputes } from './disputes.ts';
import { households } from './households.ts';
import { mediations } from './mediations.ts';
import { members } from './members.ts';
import { units } from './units.ts';
import { visits } from './visits.ts';

/**
 * Every synced record kind, parents before the records that point at them (a first sync fills
 * the phone in this order). Adding a kind: its file here, a line below, a migration, its screens.
 */
export const KINDS = [units, members, households, visits, disputes, mediations, conflicts] as const;
