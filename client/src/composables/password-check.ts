import { errorText, type ErrorCode } from '@shared/errors.ts';
import { passwordProblem } from '@shared/domain/password-rule.ts';
import type { Lang } from '../format.ts';

export interface PasswordForm {
  current: string;
  next: string;
  confirm: string;
}

/** What is wrong with which box: an error code of the shared rule, or a form-only problem. */
export type PasswordProblems = Partial<Record<keyof PasswordForm, ErrorCode | 'currentRequired' | 'mismatch'>>;

/**
 * Checks an own-password change before it is sent — offline too, so the person learns at once
 * which box to fix. The new password follows the shared rule the server applies again.
 */
export function checkPasswordForm(form: PasswordForm, phone?: string): PasswordProblems {
  const problems: PasswordProblems = {};
  if (!form.current) problems.current = 'currentRequired';
  const rule = passwordProblem(form.next, { phone, current: form.current || undefined });
  if (rule) problems.next = rule;
  else if (form.confirm !== form.next) problems.confirm = 'mismatch';
  return problems;
}

/** The text for one problem: the shared error text for rule codes, the locale's for the form's own. */
export function problemText(problem: PasswordProblems[keyof PasswordForm], lang: Lang, t: (key: string) => string): string {
  if (!problem) return '';
  if (problem === 'currentRequired' || problem === 'mismatch') return t(`password.${problem}`);
  return errorText(problem, lang);
}
