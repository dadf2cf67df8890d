/** `kyso` run from the TypeScript sources (tests): node kyso-src.mjs VERB ARGS… */
import { register } from 'node:module';

register(new URL('../../../cli/test/audit-ts-hooks.mjs', import.meta.url));
register(new URL('./ts-hooks.mjs', import.meta.url));
const { main } = await import(new URL('../../../cli/src/main.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
