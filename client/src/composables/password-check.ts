import { Password } from '@shared/schemas/common.ts';

/** The shortest password the server takes: read from the shared schema, not repeated here. */
export const PASSWORD_MIN = Password.minLength ?? 8;
const PASSWORD_MAX = Password.maxLength ?? 128;

export interface PasswordForm {
  current: string;
  next: string;
  confirm: string;
}

/** Which field is wrong and why, as locale keys under `password.` (empty: nothing wrong). */
export type PasswordProblems = Partial<Record<keyof PasswordForm, 'currentRequired' | 'tooShort' | 'tooLong' | 'sameAsCurrent' | 'mismatch'>>;

/**
 * Checks an own-password change before it is sent, so the person is told at once which box to
 * fix; the server checks the same length rule again.
 */
export function checkPasswordForm(form: PasswordForm): PasswordProblems {
  const problems: PasswordProblems = {};
  if (!form.current) problems.current = 'currentRequired';
  if (form.next.length < PASSWORD_MIN) problems.next = 'tooShort';
  else if (form.next.length > PASSWORD_MAX) problems.next = 'tooLong';
  else if (form.next === form.current) problems.next = 'sameAsCurrent';
  if (!problems.next && form.confirm !== form.next) problems.confirm = 'mismatch';
  return problems;
}
