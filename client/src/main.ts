import { createApp } from 'vue';
import App from './App.vue';
import type { UserModule } from './modules/types.ts';
import './styles.css';

const app = createApp(App);

// Each file in modules/ installs one thing; pinia goes first because the router guard reads a store.
const modules = import.meta.glob<{ install?: UserModule }>('./modules/*.ts', { eager: true });
const order = (path: string) => (path.endsWith('/pinia.ts') ? 0 : 1);
for (const path of Object.keys(modules).sort((a, b) => order(a) - order(b) || a.localeCompare(b))) {
  modules[path]?.install?.(app);
}

app.mount('#app');
