/** Bundles the built CLI into `out` (emptied first; `packages/cli/bundle/` unless given). */
export declare function bundleCli(out?: string): Promise<void>;
