/**
 * `kyso` run from the TypeScript sources (tests): node kyso-src.mjs VERB ARGS… The CLI's loader hooks resolve every
 * `@kyso/*` import (@kyso/server included) through the one source-alias table, scripts/source-aliases.mjs.
 */
import { register } from 'node:module';

register(new URL('../../../cli/test/audit-ts-hooks.mjs', import.meta.url));
const { main } = await import(new URL('../../../cli/src/main.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
