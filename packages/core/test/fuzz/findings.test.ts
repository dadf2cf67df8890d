/**
 * What fuzzing found in parsers that `verify` does not reach (those findings
 * are rows of test/verify/hostile.test.ts): each case is the reduced input
 * and the bound or typed outcome now true.
 */
import { describe, expect, it } from 'vitest';
import { pageTextLines, TEXT_LIMITS } from '../../src/pdf/text/index.js';
import { HELVETICA, open, stream, textPdf } from '../text/helpers.js';

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
