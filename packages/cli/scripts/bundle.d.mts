/** The verbs with a script of their own, each by the module `main.ts` imports for it. */
export declare const VERB_MODULES: Readonly<Record<'sign' | 'verify' | 'audit' | 'extend' | 'serve' | 'worker', string>>;
/** The scripts `bundleCli` writes: each verb's, and `main` for every other command line. */
export declare const BUNDLE_SCRIPTS: readonly string[];
/** What `bundleCli` made. */
export interface CliBundle {
  /** The bundle's id, also in `bundle/complete`; the code caches are named by it. */
  readonly id: string;
  /** By script name, the files esbuild put in it (paths relative to packages/cli, sorted). */
  readonly modules: Readonly<Record<string, readonly string[]>>;
}
/** Bundles the built CLI into `out` (emptied first; `packages/cli/bundle/` unless given). */
export declare function bundleCli(out?: string): Promise<CliBundle>;
/** The libraries (by the specifier core imports) in `libraries.cjs`, loaded by bin/kyso.js on first use. */
export declare const LIBRARIES: readonly string[];
