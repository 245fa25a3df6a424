import { onBeforeRouteLeave } from 'vue-router';
import { showConfirmDialog } from 'vant';
import { i18n } from '../modules/i18n.ts';
import type { Draft } from './use-draft.ts';

/**
 * Leaving a form with typed work asks whether to keep it as a draft (restored next time) or
 * discard it: nothing typed is thrown away without the member saying so.
 */
export function askBeforeLeaving(...drafts: Draft[]): void {
  onBeforeRouteLeave(async () => {
    const open = drafts.filter((d) => d.hasContent.value);
    if (!open.length) return true;
    const t = i18n.global.t;
    try {
      await showConfirmDialog({
        title: t('draft.leaveTitle'),
        message: t('draft.leaveMessage'),
        confirmButtonText: t('draft.keep'),
        cancelButtonText: t('draft.discard'),
        className: 'lx-draft-dialog',
      });
    } catch {
      open.forEach((d) => d.clear());
    }
    return true;
  });
}

/** The member asked to discard the restored draft: confirm first, then forget it. */
export async function confirmDiscard(draft: Draft): Promise<void> {
  const t = i18n.global.t;
  try {
    await showConfirmDialog({ message: t('draft.discardConfirm'), confirmButtonText: t('draft.discard'), cancelButtonText: t('common.cancel') });
    draft.clear();
  } catch {
    // Kept.
  }
}
