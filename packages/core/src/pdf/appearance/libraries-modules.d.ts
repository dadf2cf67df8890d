/** The self-contained builds of pdf-lib and fontkit that `libraries.ts` imports: the packages' own types. */
declare module 'pdf-lib/dist/pdf-lib.esm.min.js' {
  export * from 'pdf-lib';
}
declare module '@pdf-lib/fontkit/dist/fontkit.umd.min.js' {
  import fontkit from '@pdf-lib/fontkit';
  export default fontkit;
}
