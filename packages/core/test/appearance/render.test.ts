import { describe, expect, it } from 'vitest';
import { buildAppearance, placeTopRight, textBlockSize, type BuildAppearanceInput, type PageRotation, type SignatureRole } from '../../src/pdf/appearance/index.js';
import {
  assemblePdf, DEJAVU, objectBody, readStream, FIRST_FREE, inkBounds, pdfToText, qpdfCheck, render, type Raster, type TestPage, TWO_TONE_JPEG,
} from './helpers.js';
import { encodePng, paintImage, sealPng, signaturePng } from './png.js';

// Cross-checks with poppler and qpdf: the bytes the incremental writer will append, read by real PDF tools.

const input = (o: Partial<BuildAppearanceInput> & { role: SignatureRole }): BuildAppearanceInput => ({
  signingTime: new Date('2024-03-05T07:30:12Z'), signerName: 'Nguyễn Văn Đức', organization: 'UBND thành phố Đà Nẵng',
  font: DEJAVU, ...o,
});

const A4: Omit<TestPage, 'rect' | 'mode'> = { width: 595, height: 842, rotate: 0 };

/** The visible rect in raster pixels (1 px = 1 pt at 72 dpi; y from the top). */
function pixelRect(page: TestPage): [number, number, number, number] {
  const visibleH = page.rotate === 90 || page.rotate === 270 ? page.width : page.height;
  const [x, y, w, h] = page.rect;
  return [x, visibleH - y - h, x + w, visibleH - y];
}

function expectInkInside(raster: Raster, page: TestPage): void {
  const ink = inkBounds(raster);
  expect(ink).not.toBeNull();
  const [x0, y0, x1, y1] = pixelRect(page);
  const [minX, minY, maxX, maxY] = ink!;
  expect(minX).toBeGreaterThanOrEqual(x0 - 1);
  expect(minY).toBeGreaterThanOrEqual(y0 - 1);
  expect(maxX).toBeLessThanOrEqual(x1);
  expect(maxY).toBeLessThanOrEqual(y1);
}

describe('appearance text read back by pdftotext (ToUnicode)', () => {
  it('gives exactly the NFC lines, Vietnamese included', async () => {
    const built = await buildAppearance(input({ role: 'approve' }), { width: 260, height: 60 }, 0, FIRST_FREE);
    const pdf = assemblePdf(built, { ...A4, rect: [300, 600, 260, 60], mode: 'content' });
    const lines = pdfToText(pdf).split('\n').map((l) => l.trim()).filter(Boolean);
    expect(lines).toEqual(['Ký bởi: Nguyễn Văn Đức', 'Cơ quan: UBND thành phố Đà Nẵng', 'Thời gian: 05/03/2024 14:30:12 +07:00']);
    expect(lines.join('\n')).toBe(lines.join('\n').normalize('NFC'));
  });

  it('reads decomposed input back composed', async () => {
    const built = await buildAppearance(
      input({ role: 'copy', copyForm: 'TRÍCH SAO', organization: 'Sở Nội vụ Đà Nẵng'.normalize('NFD') }), { width: 200, height: 50 }, 0, FIRST_FREE);
    const text = pdfToText(assemblePdf(built, { ...A4, rect: [375, 772, 200, 50], mode: 'content' }));
    expect(text).toContain('TRÍCH SAO');
    expect(text).toContain('Sở Nội vụ Đà Nẵng');
  });

  it('the assembled file passes qpdf --check', async () => {
    const built = await buildAppearance(input({ role: 'approve', image: { bytes: signaturePng() }, showText: true }), { width: 200, height: 80 }, 0, FIRST_FREE);
    expect(qpdfCheck(assemblePdf(built, { ...A4, rect: [300, 100, 200, 80], mode: 'widget' }))).toMatch(/No syntax or stream encoding errors/);
  });
});

describe('rendered by pdftoppm -r 72: nothing outside the widget', () => {
  const cases: readonly [string, BuildAppearanceInput, readonly [number, number, number, number]][] = [
    ['approve image', input({ role: 'approve', image: { bytes: signaturePng() } }), [330, 150, 180, 70]],
    ['approve image and text', input({ role: 'approve', image: { bytes: signaturePng() }, showText: true }), [330, 150, 220, 70]],
    ['issue seal at real size', input({ role: 'issue', image: { bytes: sealPng(36) } }), [250, 130, 110, 110]],
    ['appendix', input({ role: 'appendix', docNumber: '15/QĐ-UBND' }), [400, 780, 170, 42]],
    ['copy', input({ role: 'copy', copyForm: 'SAO Y' }), [400, 780, 170, 42]],
    ['comment with a JPEG', input({ role: 'comment', reason: 'Đồng ý', image: { bytes: TWO_TONE_JPEG } }), [60, 400, 250, 60]],
    ['custom overflowing text', input({ role: 'custom', template: 'Một dòng rất dài không thể vừa trong khung nhỏ này được\n{signer}\n{organization}\n{time}\nx\ny\nz' }), [100, 100, 60, 20]],
  ];
  it.each(cases)('%s', async (_name, opts, rect) => {
    const built = await buildAppearance(opts, { width: rect[2], height: rect[3] }, 0, FIRST_FREE);
    const page: TestPage = { ...A4, rect, mode: 'widget' };
    expectInkInside(render(assemblePdf(built, page)), page);
  });
});

describe('rotated pages: the appearance reads upright to the viewer', () => {
  // Opaque, red left half and blue right half: any wrong turn moves red away from the left.
  const twoTone = encodePng(paintImage(40, 20, (x) => (x < 20 ? [230, 0, 0, 255] : [0, 0, 230, 255])));
  const isRed = ([r, g, b]: [number, number, number]) => r > 180 && g < 80 && b < 80;
  const isBlue = ([r, g, b]: [number, number, number]) => b > 180 && r < 80 && g < 80;

  it.each([0, 90, 180, 270] as const)('/Rotate %i, shown as a widget and as page content', async (rotate: PageRotation) => {
    for (const mode of ['widget', 'content'] as const) {
      const page: TestPage = { width: 595, height: 842, rotate, rect: [100, 120, 160, 80], mode };
      const built = await buildAppearance(input({ role: 'custom', image: { bytes: twoTone } }), { width: 160, height: 80 }, rotate, FIRST_FREE);
      const raster = render(assemblePdf(built, page));
      const [x0, y0, x1, y1] = pixelRect(page);
      const midY = Math.round((y0 + y1) / 2);
      expect(isRed(raster.pixel(x0 + 20, midY)), `${mode} left is red`).toBe(true);
      expect(isBlue(raster.pixel(x1 - 20, midY)), `${mode} right is blue`).toBe(true);
      expectInkInside(raster, page);
    }
  });

  it('text on a /Rotate 90 page is extracted in reading order', async () => {
    const built = await buildAppearance(input({ role: 'appendix', docNumber: '15/QĐ-UBND' }), { width: 170, height: 42 }, 90, FIRST_FREE);
    const text = pdfToText(assemblePdf(built, { width: 595, height: 842, rotate: 90, rect: [650, 530, 170, 42], mode: 'content' }));
    expect(text.split('\n').map((l) => l.trim()).filter(Boolean)).toEqual(['15/QĐ-UBND', 'UBND thành phố Đà Nẵng', '05/03/2024 14:30:12 +07:00']);
  });
});

describe('textBlockSize + placeTopRight: the appendix signature box of Appendix I §II.8b', () => {
  it('a box of exactly the measured size shows the 10 pt text unshrunk, top right of the page', async () => {
    const opts = input({ role: 'appendix', docNumber: '15/QĐ-UBND' });
    const size = await textBlockSize(opts);
    const rect = placeTopRight([0, 0, 595, 842], size);
    const built = await buildAppearance(opts, size, 0, FIRST_FREE);
    expect(readStream(objectBody(built, built.xobject)).data).toSatisfy((d: Uint8Array) => /\/F1 10 Tf/.test(Buffer.from(d).toString('latin1')));
    const page: TestPage = { ...A4, rect, mode: 'widget' };
    const raster = render(assemblePdf(built, page));
    expectInkInside(raster, page);
    const ink = inkBounds(raster)!;
    expect(595 - ink[2]).toBeGreaterThan(20); // right margin kept
    expect(ink[1]).toBeGreaterThan(20); // top margin kept
    expect(pdfToText(assemblePdf(built, { ...page, mode: 'content' }))).toContain('15/QĐ-UBND');
  });
});
