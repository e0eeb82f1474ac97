import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { config as zodConfig } from 'zod';
import { createAppI18n } from './i18n/index.ts';
import { rootComponent } from './root-component.ts';
import './styles.css';

// The CSP forbids eval: tell zod not to probe for it (the probe alone is a CSP violation).
zodConfig({ jitless: true });

createApp(rootComponent()).use(createPinia()).use(createAppI18n()).mount('#app');
