import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// Vue's own setting for custom elements (https://vuejs.org/guide/extras/web-components): nothing for kyso.
export default defineConfig({
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === 'verify-badge' || tag === 'sign-document' } } })],
});
