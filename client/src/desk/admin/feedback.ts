import { ElMessage, ElMessageBox } from 'element-plus';
import { ApiError } from '../../api/http.ts';
import { i18n } from '../../modules/i18n.ts';

/** Shows a failed call's message (already in the user's language: the server's Chinese text). */
export function showError(err: unknown): void {
  ElMessage.error({ message: err instanceof ApiError ? err.message : i18n.global.t('errors.network'), duration: 6000, showClose: true });
}

export function showDone(message: string): void {
  ElMessage.success(message);
}

/** A rule the change did not break but the admin should know (a member left below the minimum). */
export function showWarning(message: string): void {
  ElMessage.warning({ message, duration: 8000, showClose: true });
}

/** Asks before an action that changes people's work; resolves false when cancelled. */
export async function confirmAction(message: string, title: string, confirmText: string): Promise<boolean> {
  try {
    await ElMessageBox.confirm(message, title, {
      confirmButtonText: confirmText,
      cancelButtonText: i18n.global.t('common.cancel'),
      type: 'warning',
    });
    return true;
  } catch {
    return false;
  }
}

/** Runs one admin call; on failure shows why and resolves undefined, so a page stays as it was. */
export async function attempt<T>(call: () => Promise<T>, done?: string): Promise<T | undefined> {
  try {
    const result = await call();
    if (done) showDone(done);
    return result;
  } catch (err) {
    showError(err);
    return undefined;
  }
}
