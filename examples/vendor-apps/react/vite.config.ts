import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// What `npm create vite -- --template react-ts` writes: nothing for kyso.
export default defineConfig({ plugins: [react()] });
