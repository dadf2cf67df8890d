// `node --import ./fuzz/register.mjs`: installs the TypeScript hooks of loader.mjs.
import { register } from 'node:module';

register('./loader.mjs', import.meta.url);
