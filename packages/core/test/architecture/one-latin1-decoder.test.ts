import { describe, expect, it } from 'vitest';
import { coreSources } from './source-files.js';

/**
 * Core decodes bytes to one-char-per-byte text in one place, util/bytes.ts `bytesToLatin1`. The obvious
 * `new TextDecoder('latin1')` is windows-1252 under the WHATWG Encoding Standard: browsers turn 0x80–0x9F into
 * other characters while Node does not, so the same PDF would read differently in the page's worker and in the
 * CLI (test/browser/latin1.test.ts shows it in Chromium).
 */
const DECODERS = [
  /new TextDecoder\(\s*['"`](?:latin1|iso-8859-1|ascii|us-ascii|windows-1252)['"`]/i,
  /String\.fromCharCode\.apply\(/,
  /String\.fromCharCode\(\s*\.\.\./,
];
const decodes = (text: string): boolean => DECODERS.some((re) => re.test(text));

describe('core has one latin1 decoder', () => {
  it('no module but util/bytes.ts decodes bytes as latin1', () => {
    const others = coreSources().filter((f) => f.path !== 'util/bytes.ts' && decodes(f.text)).map((f) => f.path);
    expect(others).toEqual([]);
  });

  it('the check recognises each way of writing a second one', () => {
    expect(decodes("const d = new TextDecoder('latin1');")).toBe(true);
    expect(decodes('new TextDecoder("ISO-8859-1").decode(b)')).toBe(true);
    expect(decodes('String.fromCharCode.apply(null, chunk)')).toBe(true);
    expect(decodes('String.fromCharCode(...bytes.subarray(0, 5))')).toBe(true);
    expect(decodes("new TextDecoder('utf-8')")).toBe(false);
    expect(decodes('String.fromCharCode(0x20ac)')).toBe(false);
  });
});
