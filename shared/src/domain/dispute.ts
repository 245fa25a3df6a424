/** 受理 → 调解中 → 已化解 | 上报 → 办结 (GLOSSARY.md). */
export const DISPUTE_STATUSES = ['open', 'mediating', 'resolved', 'escalated', 'closed'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

export const DISPUTE_STATUS_LABELS: Record<DisputeStatus, { zh: string; en: string }> = {
  open: { zh: '受理', en: 'Open' },
  mediating: { zh: '调解中', en: 'Mediating' },
  resolved: { zh: '已化解', en: 'Resolved' },
  escalated: { zh: '上报', en: 'Escalated' },
  closed: { zh: '办结', en: 'Closed' },
};

/**
 * The moves a dispute may make. An escalated dispute is taken up by the next tier, which
 * mediates it again (escalated → mediating), may escalate it further, or closes it.
 */
export const DISPUTE_TRANSITIONS: Record<DisputeStatus, readonly DisputeStatus[]> = {
  open: ['mediating', 'resolved', 'escalated', 'closed'],
  mediating: ['resolved', 'escalated'],
  resolved: ['closed', 'mediating'],
  // Back to `open`: the tier that received it sends it back down to the tier below.
  escalated: ['mediating', 'resolved', 'escalated', 'closed', 'open'],
  closed: [],
};

export function canTransition(from: DisputeStatus, to: DisputeStatus): boolean {
  return DISPUTE_TRANSITIONS[from].includes(to);
}
