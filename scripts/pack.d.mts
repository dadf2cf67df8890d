/** The published packages, in dependency order. */
export declare const PACKAGES: readonly string[];
/** Builds (unless `build: false`) and packs every published package into `out`; returns the tarballs' paths by package name. */
export declare function packAll(out?: string, options?: { build?: boolean }): Record<string, string>;
