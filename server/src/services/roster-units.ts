import type { RosterUnit } from '../repositories/roster-repository.ts';
import { PATH_SEPARATOR } from './roster-columns.ts';

export type PathResult = { unit: RosterUnit } | { problem: 'ROSTER_UNIT_UNKNOWN' | 'ROSTER_UNIT_AMBIGUOUS' };

/**
 * Unit paths of names ('粤海区/石岭镇/石岭村/…') to units and back, over a set of units.
 * A path starts at a root of the tree or at one of `starts` (the caller's admin roots, so a
 * village admin may write '石岭村/第一村民小组党支部'). Spaces around '/' are ignored; a name
 * that itself holds '/' still matches, since names are tried over one or more segments.
 * Two units that a path names equally (siblings sharing a name) make it ambiguous: reported,
 * never guessed.
 */
export class UnitPaths {
  private readonly byId = new Map<string, RosterUnit>();
  private readonly children = new Map<string | null, RosterUnit[]>();
  private readonly cache = new Map<string, PathResult>();

  constructor(units: readonly RosterUnit[], private readonly starts: readonly string[] = []) {
    for (const u of units) this.byId.set(u.id, u);
    for (const u of units) {
      // A unit whose parent is not loaded is a start of its own (the top of what we know).
      const parent = u.parentId && this.byId.has(u.parentId) ? u.parentId : null;
      const list = this.children.get(parent) ?? [];
      list.push(u);
      this.children.set(parent, list);
    }
  }

  /** The full path of names of a unit (from the top of the known tree). */
  nameOf(unitId: string): string {
    const names: string[] = [];
    for (let u = this.byId.get(unitId); u; u = u.parentId ? this.byId.get(u.parentId) : undefined) names.unshift(u.name);
    return names.join(PATH_SEPARATOR);
  }

  unit(id: string): RosterUnit | undefined {
    return this.byId.get(id);
  }

  resolve(text: string): PathResult {
    let hit = this.cache.get(text);
    if (!hit) {
      hit = this.lookup(text);
      this.cache.set(text, hit);
    }
    return hit;
  }

  private lookup(text: string): PathResult {
    const segments = text.split(PATH_SEPARATOR).map((s) => s.trim()).filter(Boolean);
    if (segments.length === 0) return { problem: 'ROSTER_UNIT_UNKNOWN' };
    const found = new Map<string, RosterUnit>();
    const walk = (candidates: readonly RosterUnit[], from: number) => {
      for (let end = from + 1; end <= segments.length; end++) {
        const name = segments.slice(from, end).join(PATH_SEPARATOR);
        for (const u of candidates) {
          if (u.name !== name) continue;
          if (end === segments.length) found.set(u.id, u);
          else walk(this.children.get(u.id) ?? [], end);
        }
      }
    };
    walk(this.children.get(null) ?? [], 0);
    walk(this.starts.map((id) => this.byId.get(id)).filter((u): u is RosterUnit => !!u), 0);
    if (found.size === 1) return { unit: [...found.values()][0]! };
    return { problem: found.size === 0 ? 'ROSTER_UNIT_UNKNOWN' : 'ROSTER_UNIT_AMBIGUOUS' };
  }
}

/** The names of a path's segments, for looking up units outside the caller's scope. */
export const pathNames = (text: string) => text.split(PATH_SEPARATOR).map((s) => s.trim()).filter(Boolean);
