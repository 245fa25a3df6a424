import { DISPUTE_RISK_LEVELS, labelOf } from '@shared/domain/lists.ts';
import type { ConflictHousehold, SyncReportRow } from '@shared/schemas/reports.ts';
import { formatAddress, type Lang } from '../../format.ts';

/**
 * What the desk's report pages say for the codes the reports carry: risk levels, sync states,
 * households (mutation names and statuses: ../../format.ts). Never a code on screen (issue 10).
 */

/** A risk level as people call it: 红色（重大）, never `red`. */
export const riskLabel = (code: string, lang: Lang) => labelOf(DISPUTE_RISK_LEVELS, code, lang);

/** The colour each risk level is drawn in (its name says which). */
export const RISK_COLORS: Record<string, string> = { red: '#d4242b', orange: '#e8710a', yellow: '#d9a400', blue: '#2f6fd6' };

/** How a device stands: stopped by a supervisor, never synced, silent too long, or fine. */
export type SyncState = 'revoked' | 'never' | 'stale' | 'ok';
export function syncState(row: Pick<SyncReportRow, 'revoked' | 'neverSynced' | 'stale'>): SyncState {
  if (row.revoked) return 'revoked';
  if (row.neverSynced) return 'never';
  return row.stale ? 'stale' : 'ok';
}

/** A household as a supervisor finds it: "王大明 · 石岭村第一村民小组 12号". */
export const householdText = (h: ConflictHousehold, lang: Lang) => `${h.headName} · ${h.unitName} ${formatAddress(h.address, lang)}`;

/** A held or logged change's text in a line: a visit's summary, a dispute's description. */
export function changeText(args: unknown): string {
  if (!args || typeof args !== 'object') return '';
  const a = args as { summary?: unknown; description?: unknown; note?: unknown };
  return String(a.summary ?? a.description ?? a.note ?? '');
}
