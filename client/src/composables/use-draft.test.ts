import { describe, expect, it } from 'vitest';
import { effectScope, nextTick, reactive, ref } from 'vue';
import { draftKey, useDraft } from './use-draft.ts';

/** localStorage as a Map (the client tests run in Node). */
function memoryStorage() {
  const map = new Map<string, string>();
  return { map, getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) };
}

/** A visit form as VisitFormView holds it, opened for one user and household. */
function openForm(storage: ReturnType<typeof memoryStorage>, user = 'u1', household = 'h1') {
  const scope = effectScope();
  const state = reactive({ method: 'in_person', summary: '', categories: [] as string[] });
  const draft = scope.run(() => useDraft({ key: () => draftKey(user, 'visit', household), state, hasContent: (s) => s.summary.trim() !== '', storage }))!;
  return { state, draft, close: () => scope.stop() };
}

describe('drafts of half-written forms', () => {
  it('a half-written form comes back, choices included, when it is opened again (after 返回 or a reload)', () => {
    const storage = memoryStorage();
    const first = openForm(storage);
    first.state.method = 'phone';
    first.state.summary = '老人反映楼道灯坏了';
    first.state.categories.push('城乡建设');
    first.close();

    const again = openForm(storage);
    expect(again.draft.restored.value).toBe(true);
    expect(again.draft.hasContent.value).toBe(true);
    expect({ ...again.state }).toEqual({ method: 'phone', summary: '老人反映楼道灯坏了', categories: ['城乡建设'] });
  });

  it('is kept apart per user and per household', () => {
    const storage = memoryStorage();
    openForm(storage, 'u1', 'h1').state.summary = '甲的草稿';
    expect(openForm(storage, 'u2', 'h1').state.summary).toBe('');
    expect(openForm(storage, 'u1', 'h2').state.summary).toBe('');
    expect(openForm(storage, 'u1', 'h1').state.summary).toBe('甲的草稿');
  });

  it('keeps nothing for a form with only its defaults, and forgets a draft once it is emptied', () => {
    const storage = memoryStorage();
    const form = openForm(storage);
    form.state.method = 'phone';
    expect(storage.map.size).toBe(0);
    form.state.summary = '写了一半';
    expect(storage.map.size).toBe(1);
    form.state.summary = '  ';
    expect(storage.map.size).toBe(0);
    expect(openForm(storage).draft.restored.value).toBe(false);
  });

  it('clear (after saving, or a confirmed discard) forgets the draft and puts the form back as it opened', () => {
    const storage = memoryStorage();
    const form = openForm(storage);
    form.state.method = 'video';
    form.state.summary = '已保存的内容';
    form.draft.clear();
    expect(storage.map.size).toBe(0);
    expect({ ...form.state }).toEqual({ method: 'in_person', summary: '', categories: [] });
    expect(form.draft.hasContent.value).toBe(false);
  });

  it('waits for the user to be known, and a refused storage never breaks the form', async () => {
    const storage = memoryStorage();
    const user = ref<string | null>(null);
    const state = reactive({ summary: '' });
    const scope = effectScope();
    scope.run(() => useDraft({ key: () => (user.value ? draftKey(user.value, 'visit', 'h1') : null), state, hasContent: (s) => s.summary !== '', storage }));
    state.summary = '未登录时';
    expect(storage.map.size).toBe(0);
    storage.map.set(draftKey('u1', 'visit', 'h1'), JSON.stringify({ summary: '之前的草稿', stray: 1 }));
    user.value = 'u1';
    await nextTick();
    expect({ ...state }).toEqual({ summary: '之前的草稿' });
    scope.stop();

    const full = { getItem: () => '{not json', setItem: () => { throw new Error('QuotaExceededError'); }, removeItem: () => {} };
    const s2 = reactive({ summary: '' });
    effectScope().run(() => useDraft({ key: () => 'k', state: s2, hasContent: (s) => s.summary !== '', storage: full }));
    expect(() => (s2.summary = '照样能填')).not.toThrow();
  });
});
