import type { KindDef } from './kind.ts';

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
  pattern: () => '含有不能保存的字符或格式不对',
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
  pattern: () => 'contains characters that cannot be stored, or has the wrong form',
  format: () => 'has the wrong form',
  minimum: (p) => `must be at least ${p.limit}`,
  maximum: (p) => `must be at most ${p.limit}`,
  minItems: (p) => `needs at least ${p.limit} items`,
  maxItems: (p) => `allows at most ${p.limit} items`,
  uniqueItems: () => 'has repeated items',
  additionalProperties: () => 'contains something unknown',
  boolean: () => 'contains something unknown',
};

/**
 * A schema error as a person reads it: the field's name as the screen calls it (from the kind's
 * field labels; `changes/phone/value` is the phone), then what is wrong — never a JSON pointer
 * or an English schema message on a Chinese screen.
 */
export function validationText(error: SchemaError, kind: KindDef | undefined, lang: 'zh' | 'en' = 'zh'): string {
  const segments = error.instancePath.split('/').filter((s) => s && s !== 'changes' && s !== 'value' && !/^\d+$/.test(s));
  const missing = error.keyword === 'required' ? String(error.params?.requiredProperties ?? error.params?.missingProperty ?? '') : '';
  const field = missing || segments[segments.length - 1] || '';
  const label = field ? kind?.fields?.[field]?.[lang] : undefined;
  // type, enum, const, anyOf…: the value is not one the field takes.
  const problem = ((lang === 'zh' ? ZH : EN)[error.keyword] ?? (lang === 'zh' ? () => '填写不正确' : () => 'is not valid'))(error.params ?? {});
  if (lang === 'zh') return `${label ?? '提交的内容'}：${problem}`;
  return `${label ?? 'A field'} ${problem}`;
}
