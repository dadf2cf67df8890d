import { describe, expect, it } from 'vitest';
import {
  createTextMeasurer, measureLines, placeIssueSeal, placeTopRight, PT_PER_MM, readImageInfo, sealSizePt, TEXT_PADDING,
} from '../../src/pdf/appearance/index.js';
import { DEJAVU, TWO_TONE_JPEG } from './helpers.js';
import { encodePng, paintImage, sealPng, signaturePng } from './png.js';

describe('image headers', () => {
  it('reads a PNG seal: pixels and pHYs resolution', () => {
    const info = readImageInfo(sealPng(36));
    expect(info).toEqual({ format: 'png', width: 180, height: 180, mmPerPixel: { x: 0.2, y: 0.2 } });
  });

  it('reads a JPEG: SOF size and JFIF density', () => {
    const info = readImageInfo(TWO_TONE_JPEG);
    expect(info.format).toBe('jpeg');
    expect([info.width, info.height]).toEqual([16, 8]);
    expect(info.mmPerPixel?.x).toBeCloseTo(25.4 / 72, 9);
  });

  it('a PNG without pHYs has no physical size', () => {
    expect(readImageInfo(signaturePng()).mmPerPixel).toBeUndefined();
  });

  it('rejects other formats with ERR_SIG_APPEARANCE', () => {
    expect(() => readImageInfo(new TextEncoder().encode('GIF89a....'))).toThrow(expect.objectContaining({ code: 'ERR_SIG_APPEARANCE' }));
  });
});

describe('sealSizePt', () => {
  it('gives the real size from pHYs: a 36 mm seal is 36 × 72/25.4 pt', () => {
    const size = sealSizePt({ bytes: sealPng(36) });
    expect(size?.width).toBeCloseTo(36 * PT_PER_MM, 6);
    expect(size?.height).toBeCloseTo(36 * PT_PER_MM, 6);
  });

  it('prefers widthMm and keeps the aspect', () => {
    const wide = encodePng(paintImage(40, 20, () => [255, 0, 0, 255]));
    const size = sealSizePt({ bytes: wide, widthMm: 40 });
    expect(size?.width).toBeCloseTo(40 * PT_PER_MM, 6);
    expect(size?.height).toBeCloseTo(20 * PT_PER_MM, 6);
  });

  it('is undefined when nothing records the size', () => {
    expect(sealSizePt({ bytes: signaturePng() })).toBeUndefined();
  });

  it('rejects a non-positive widthMm', () => {
    expect(() => sealSizePt({ bytes: sealPng(), widthMm: 0 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});

describe('placeIssueSeal (Appendix I §II.8a: the seal covers the left third of the leader signature)', () => {
  it('puts the seal right edge at x + w/3, centred vertically', () => {
    const [x, y, w, h] = placeIssueSeal([300, 100, 150, 60], { width: 102, height: 102 });
    expect(x + w).toBeCloseTo(350, 9);
    expect([x, w, h]).toEqual([248, 102, 102]);
    expect(y + h / 2).toBeCloseTo(130, 9);
  });

  it('takes another overlap fraction', () => {
    const [x, , w] = placeIssueSeal([0, 0, 120, 40], { width: 60, height: 60 }, 0.5);
    expect(x + w).toBe(60);
  });

  it('rejects an empty rect', () => {
    expect(() => placeIssueSeal([0, 0, 0, 10], { width: 1, height: 1 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});

describe('placeTopRight and measureLines (Appendix I §II.8b, box 14)', () => {
  it('puts the block in the top right corner of the visible page', () => {
    expect(placeTopRight([0, 0, 595, 842], { width: 150, height: 40 })).toEqual([425, 782, 150, 40]);
    expect(placeTopRight([10, 20, 842, 595], { width: 100, height: 30 }, 0)).toEqual([752, 585, 100, 30]);
  });

  it('measures the widest line and the line count, padding included', () => {
    const font = createTextMeasurer(DEJAVU);
    const one = measureLines(['Đà Nẵng'], font, 10);
    const two = measureLines(['Đà Nẵng', 'Đà Nẵng, Việt Nam'], font, 10);
    expect(two.width).toBeGreaterThan(one.width);
    expect(two.height - one.height).toBeCloseTo(12, 6); // 1.2 × 10 pt per line
    expect(one.width).toBeCloseTo(font.widthOfTextAtSize('Đà Nẵng', 10) + 2 * TEXT_PADDING, 9);
    // NFD input measures like NFC
    expect(measureLines(['Đà Nẵng'.normalize('NFD')], font, 10)).toEqual(one);
  });

  it('reports characters the font cannot draw', () => {
    expect(createTextMeasurer(DEJAVU).missingCharacters('Nguyễn 漢')).toEqual(['漢']);
  });
});
