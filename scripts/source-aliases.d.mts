/** One `@kyso/*` import and the TypeScript source it resolves to. */
export interface SourceAlias {
  readonly specifier: string;
  readonly path: string;
}
export declare const REPO: string;
export declare function sourceAliases(hashEngine?: 'node' | 'portable'): SourceAlias[];
export declare function viteSourceAliases(hashEngine?: 'node' | 'portable'): { find: RegExp; replacement: string }[];
