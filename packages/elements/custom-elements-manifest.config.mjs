/**
 * The Custom Elements Manifest (`custom-elements.json`), made by `npm run analyze`
 * (and `prepack`, so every tarball carries one). The analyzer reads the
 * TypeScript sources, where the JSDoc and Lit's decorators are; the manifest
 * then names the modules a vendor installs (`dist/**\/*.js`), since `src` is not
 * shipped. `packagejson: false`: the `customElements` field is written by hand
 * in package.json (the analyzer would rewrite it with whatever --outdir it was
 * given, e.g. a test's temporary folder).
 */
const SOURCE = /^\/?src\/(.+)\.[jt]s$/;

/** Rewrites every `src/….ts` (or `/src/….js`) module reference of the manifest to the built `dist/….js`. */
function distPaths() {
  const rewrite = (node) => {
    if (Array.isArray(node)) return node.forEach(rewrite);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'path' || key === 'module') && typeof value === 'string') {
        const m = SOURCE.exec(value);
        if (m) node[key] = `dist/${m[1]}.js`;
      } else rewrite(value);
    }
  };
  return { name: 'kyso-dist-paths', packageLinkPhase: ({ customElementsManifest }) => rewrite(customElementsManifest) };
}

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.d.ts'],
  litelement: true,
  packagejson: false,
  plugins: [distPaths()],
};
