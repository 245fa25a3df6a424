import { LINE_PATTERN, TEXT_PATTERN } from '../schemas/common.ts';
import type { KindDef } from './kind.ts';

/** Where a field's name and format come from: a record kind, or any other set of field labels. */
type Labelled = Pick<KindDef, 'fields'>;

/** What TypeBox reports of a value that does not fit its schema (the parts we read). */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params?: Record<string, unknown>;
}

const ZH: Record<string, (p: Record<string, unknown>) => string> = {
  required: () => '不能为空',
  minLength: (p) => (Number(p.limit) <= 1 ? '不能为空' : `至少 ${p.limit} 个字`),
  maxLength: (p) => `不能超过 ${p.limit} 个字`,
  pattern: (p) =>
    p.pattern === TEXT_PATTERN ? '含有不能保存的字符（如控制字符），请删除后再保存'
      : p.pattern === LINE_PATTERN ? '只能填一行，且不能含有控制字符' : '格式不正确',
  format: () => '格式不正确',
  minimum: (p) => `不能小于 ${p.limit}`,
  maximum: (p) => `不能大于 ${p.limit}`,
  minItems: (p) => `至少选 ${p.limit} 项`,
  maxItems: (p) => `最多 ${p.limit} 项`,
  uniqueItems: () => '有重复的选项',
  additionalProperties: () => '含有不认识的内容',
  boolean: () => '含有不认识的内容',
};
const EN: Record<string, (p: Record<string, unknown>) => string> = {
  required: () => 'is required',
  minLength: (p) => (Number(p.limit) <= 1 ? 'is required' : `needs at least ${p.limit} characters`),
  maxLength: (p) => `must not exceed ${p.limit} characters`,
  pattern: (p) =>
    p.pattern === TEXT_PATTERN ? 'contains characters that cannot be stored (control characters); remove them'
      : p.pattern === LINE_PATTERN ? 'must be one line without control characters' : 'has the wrong form',
  format: () => 'has the wrong form',
  minimum: (p) => `must be at least ${p.limit}`,
  maximum: (p) => `must be at most ${p.limit}`,
  minItems: (p) => `needs at least ${p.limit} items`,
  maxItems: (p) => `allows at most ${p.limit} items`,
  uniqueItems: () => 'has repeated items',
  additionalProperties: () => 'contains something unknown',
  boolean: () => 'contains something unknown',
};

/** The form field an error is about: the last named segment of its path (`changes/phone/value` is `phone`). */
export function fieldOf(error: SchemaError): string {
  const segments = error.instancePath.split('/').filter((s) => s && s !== 'changes' && s !== 'value' && !/^\d+$/.test(s));
  const missing = error.keyword === 'required' ? String(error.params?.requiredProperties ?? error.params?.missingProperty ?? '') : '';
  return missing || segments[segments.length - 1] || '';
}

/** What is wrong, without the field's name: the text under the field itself. */
export function problemText(error: SchemaError, kind: Labelled | undefined, lang: 'zh' | 'en' = 'zh'): string {
  // type, enum, const, anyOf…: the value is not one the field takes.
  const problem = ((lang === 'zh' ? ZH : EN)[error.keyword] ?? (lang === 'zh' ? () => '填写不正确' : () => 'is not valid'))(error.params ?? {});
  const format = kind?.fields?.[fieldOf(error)]?.format?.[lang];
  if (!format || (error.keyword !== 'pattern' && error.keyword !== 'format')) return problem;
  return lang === 'zh' ? `${problem}，应为${format}` : `${problem}: expected ${format}`;
}

/**
 * A schema error as a person reads it: the field's name as the screen calls it (from the kind's
 * field labels; `changes/phone/value` is the phone), then what is wrong — never a JSON pointer
 * or an English schema message on a Chinese screen.
 */
export function validationText(error: SchemaError, kind: Labelled | undefined, lang: 'zh' | 'en' = 'zh'): string {
  const field = fieldOf(error);
  const label = field ? kind?.fields?.[field]?.[lang] : undefined;
  const problem = problemText(error, kind, lang);
  if (lang === 'zh') return `${label ?? '提交的内容'}：${problem}`;
  return `${label ?? 'A field'} ${problem}`;
}

/**
 * Errors by form field, the first per field, each as the text to show under that field. A field
 * the form does not show (or an error about the whole) is under `''`, as a whole sentence.
 */
export function fieldErrors(errors: Iterable<SchemaError>, kind: Labelled | undefined, lang: 'zh' | 'en' = 'zh'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const error of errors) {
    // A union's branches each report; the first (the string's pattern, not "or null") says it best.
    if (error.keyword === 'anyOf' || error.keyword === 'boolean') continue;
    const field = fieldOf(error);
    if (field in out) continue;
    out[field] = field && kind?.fields?.[field] ? problemText(error, kind, lang) : validationText(error, kind, lang);
  }
  return out;
}
