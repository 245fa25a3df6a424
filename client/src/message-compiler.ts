import type { MessageCompiler, MessageContext, MessageFunction } from 'vue-i18n';

/**
 * The messages' syntax, compiled here so the phone loads vue-i18n's runtime-only build (its
 * message compiler is ≈9 KB gzipped at start; issue 14). The locales use only `{name}` or `{0}`
 * placeholders and `one | many` plural forms; anything else in a message is its text.
 */
type Part = string | { key: string };

function parts(form: string): Part[] {
  const out: Part[] = [];
  const re = /\{\s*([A-Za-z_$][\w$]*|\d+)\s*\}/g;
  let at = 0;
  for (let m = re.exec(form); m; m = re.exec(form)) {
    if (m.index > at) out.push(form.slice(at, m.index));
    out.push({ key: m[1]! });
    at = re.lastIndex;
  }
  if (at < form.length) out.push(form.slice(at));
  return out;
}

/** As vue-i18n shows a value: nothing for null, JSON for objects, the text of anything else. */
const shown = (v: unknown) => (v == null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function render(ps: Part[], ctx: MessageContext<string>): string {
  return ps.map((p) => (typeof p === 'string' ? p : shown(/^\d+$/.test(p.key) ? ctx.list(Number(p.key)) : ctx.named(p.key)))).join('');
}

export const compileMessage: MessageCompiler = (message) => {
  if (typeof message !== 'string') throw new Error('messages are strings');
  const forms = message.includes('|') ? message.split('|').map((f) => f.trim()).map(parts) : [parts(message)];
  const fn = forms.length === 1 ? (ctx: MessageContext<string>) => render(forms[0]!, ctx) : (ctx: MessageContext<string>) => ctx.plural(forms.map((f) => render(f, ctx)));
  return fn as MessageFunction;
};
