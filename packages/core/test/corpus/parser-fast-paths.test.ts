import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir } from '../helpers/corpus.js';
import { parseBothWays } from '../helpers/parse-both-ways.js';

// Issue 16: speed is never bought with weaker checks. The object parser scans the bytes it has cached for
// strings, names, keywords and white space, and falls back to reading byte by byte when a token straddles
// two reads; on every PDF of the shared corpus both ways must read every object identically.
const pdfs = readdirSync(corpusDir(), { recursive: true }).map(String).filter((f) => f.toLowerCase().endsWith('.pdf')).sort();

describe('corpus: the parser reads every object the same with its fast paths as byte by byte', () => {
  it('has PDFs to read', () => {
    expect(pdfs.length).toBeGreaterThan(10);
  });

  it.each(pdfs)('%s', (name) => {
    const { compared, differences } = parseBothWays(new Uint8Array(readFileSync(join(corpusDir(), name))));
    expect(differences).toEqual([]);
    expect(compared).toBeGreaterThan(0);
  });
});
