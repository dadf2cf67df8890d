/**
 * What fuzzing found in parsers that `verify` does not reach (those findings
 * are rows of test/verify/hostile.test.ts): each case is the reduced input
 * and the bound or typed outcome now true.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeStream } from '../../src/pdf/filters.js';
import { dict, name, PdfDict } from '../../src/pdf/objects.js';
import { pageTextLines, TEXT_LIMITS } from '../../src/pdf/text/index.js';
import { HELVETICA, open, stream, textPdf } from '../text/helpers.js';
import { runOne, targetNamed, type TargetContext } from './targets.js';

describe('fuzz findings: the appearance text reader', () => {
  it('a form painted thousands of times is read again only within the repaint budget', () => {
    // pdf-text, campaign 1: 35 KB of content painting a form of itself ~5,000 times
    // made one page walk lex ~128 MB (seconds per walk; findText walks every page).
    const form = `BT /F1 12 Tf (x) Tj ET${' /X1 Do'.repeat(5000)}`;
    const resources = `<< /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >>`;
    const pdf = textPdf(form, resources, [
      HELVETICA,
      stream(`/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources ${resources}`, form),
    ]);
    const { doc, pages } = open(pdf);
    const shown = pageTextLines(doc, pages[0]!).map((l) => l.text).join('').length;
    // One "x" from the page, one per paint of the form: the first paint, then repaints within the budget.
    const repaints = Math.floor(TEXT_LIMITS.repaintBytes / form.length);
    expect(shown).toBeGreaterThan(1);
    expect(shown).toBeLessThanOrEqual(2 + repaints);
  });
});

describe('fuzz findings: stream filters', () => {
  const rows = deflateSync(new Uint8Array([2, 1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 9, 0, 0]));
  const withParms = (parms: Record<string, number>) =>
    dict({ Filter: name('FlateDecode'), DecodeParms: dict({ Predictor: 12, ...parms }) as PdfDict });

  it.each([
    // pdf-objects, campaign 1: a negative row length reached `new Uint8Array` (RangeError).
    ['/Columns -1', { Columns: -1 }],
    ['/Columns 0', { Columns: 0 }],
    ['/Columns 2.5', { Columns: 2.5 }],
    ['/Colors 0', { Colors: 0, Columns: 7 }],
    ['/BitsPerComponent 3', { BitsPerComponent: 3, Columns: 7 }],
    // A gigabyte row buffer for sixteen bytes of data.
    ['/Columns 10^9', { Columns: 1e9 }],
  ])('a PNG predictor with %s is a typed ERR_PDF_MALFORMED', (_label, parms) => {
    expect(() => decodeStream(withParms(parms), rows)).toThrow(expect.objectContaining({ code: 'ERR_PDF_MALFORMED' }));
  });

  it('well-formed predictor parameters still decode', () => {
    expect([...decodeStream(withParms({ Columns: 7 }), rows)]).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0]);
  });
});

describe('fuzz findings: the token agent adapter', () => {
  it('a certificate entry whose label is an object without toString is ERR_AGENT_PROTOCOL, not a TypeError', async () => {
    // token-agent-adapter, first run: `${c.label}` threw "Cannot convert object to primitive value" (fixed in the adapter).
    const frame = { action: 'kyso.result', id: '$ID', result: { certificates: [
      { id: 'c1', certificate: 'MIIBAA==', chain: ['MIIBAA=='], label: { toString: 1 }, token: { label: 'T', serial: '1' }, schemes: ['ECDSA'] },
    ] } };
    const crash = await runOne(targetNamed('token-agent-adapter'), new TextEncoder().encode(JSON.stringify(frame)), {} as TargetContext);
    expect(crash?.message ?? null).toBeNull();
  });
});
