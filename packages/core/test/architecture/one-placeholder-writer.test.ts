import { describe, expect, it } from 'vitest';
import { coreSources } from './source-files.js';

/**
 * A signature's byte range decides what the signer vouches for (ISO 32000-2
 * §12.8.1), so core writes it in one place: pdf/signature-placeholder.ts.
 * Signing, its completion and document timestamps all call that module;
 * verification only reads /ByteRange. (Decision 0028.)
 */
const THE_WRITER = 'pdf/signature-placeholder.ts';
const sources = coreSources();
const textOf = (path: string): string => sources.find((f) => f.path === path)?.text ?? '';

/** The code without its comments, where the spec clauses naming /ByteRange live. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/**
 * The ways TypeScript can put a `/ByteRange` key into PDF output: the
 * serialised key in a string (`'/ByteRange ['`), or the key handed to the
 * object writer (`dict({ ByteRange: … })`, `.set('ByteRange', …)`,
 * `name('ByteRange')`, `PdfName.of('ByteRange')`). Reading it
 * (`.get('ByteRange')`, `.has('ByteRange')`) is not writing.
 */
const WRITES = [
  /['"`][^'"`\n]*\/ByteRange\b/,
  /[{,]\s*['"]?ByteRange['"]?\s*:/,
  /\.set\(\s*['"`]ByteRange['"`]/,
  /\b(?:name|PdfName\.of)\(\s*['"`]ByteRange['"`]/,
];
const writesByteRange = (text: string): boolean => WRITES.some((re) => re.test(code(text)));

describe('one writer of /ByteRange in core', () => {
  it('tells writing the key from reading it', () => {
    const writers = [
      "const text = `<<${inner}/ByteRange [${' '.repeat(68)}]`;",
      "const KEY = ascii('/ByteRange [');",
      'sig.set("ByteRange", [0, a, b, c]);',
      'const sig = dict({ Type: name(\'Sig\'), ByteRange: [0, 1, 2, 3] });',
      "out.set(PdfName.of('ByteRange'), range);",
    ];
    const readers = [
      "const br = doc.resolve(dict.get('ByteRange'));",
      "if (!sd.has('ByteRange')) return [];",
      '/** Hashes the /ByteRange of a signature (ISO 32000-2 §12.8.1). */',
      '// the ByteRange digest, "/ByteRange [" in a comment',
      'export interface ByteRangeFacts { readonly byteRange: readonly number[] }',
    ];
    expect(writers.filter((w) => !writesByteRange(w))).toEqual([]);
    expect(readers.filter(writesByteRange)).toEqual([]);
  });

  it(`only ${THE_WRITER} writes it; verification and everything else only read it`, () => {
    const writers = sources.filter((f) => writesByteRange(f.text)).map((f) => f.path);
    expect(writers).toEqual([THE_WRITER]);
  });

  it('signing, finish and document timestamps go through it', () => {
    const uses = (path: string, name: string) => new RegExp(`\\b${name}\\b[^;]*from '[./]*pdf/signature-placeholder\\.js'`, 's').test(textOf(path));
    expect(uses('sign/prepare.ts', 'writeSignaturePlaceholder')).toBe(true);
    expect(uses('ltv/document-timestamp.ts', 'writeSignaturePlaceholder')).toBe(true);
    expect(uses('sign/signing-digest.ts', 'streamCoveredBytes')).toBe(true);
    expect(uses('ltv/document-timestamp.ts', 'streamCoveredBytes')).toBe(true);
    expect(uses('sign/finish.ts', 'fillContents')).toBe(true);
    expect(uses('ltv/document-timestamp.ts', 'fillContents')).toBe(true);
  });
});
