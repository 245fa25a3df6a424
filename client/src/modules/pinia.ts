import { createPinia } from 'pinia';
import type { UserModule } from './types.ts';

export const pinia = createPinia();

export const install: UserModule = (app) => {
  app.use(pinia);
};
