import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sign, type AppearanceOptions, type SigningAdapter } from '@kyso/core';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples, sealImage, signatureImage, type SampleName, type TestPki } from '@kyso/testkit';
import { diffBox, renderPage } from '../helpers/render.js';
import { pdfsig, tempDir, writeTemp } from '../helpers/signed-pdf.js';

let pki: TestPki;
let samples: Record<SampleName, string>;
let dir: string;
let leader: SigningAdapter;
let seal: SigningAdapter;
const read = (p: string) => new Uint8Array(readFileSync(p));
const T0 = new Date('2026-03-05T07:30:12Z');
const DPI = 36; // 0.5 px per point

beforeAll(async () => {
  pki = await ensurePki();
  samples = await ensureSamples();
  dir = tempDir('kyso-ap-');
  const l = pki.entity('leader');
  leader = await fromPkcs8Pem(l.keyPem, l.certDer, l.chainDer);
  const s = pki.entity('seal');
  seal = await fromPkcs8Pem(s.keyPem, s.certDer, s.chainDer);
});

/** Text of page 1 once annotation appearances are flattened into the page (qpdf), read by pdftotext. */
function flattenedText(pdf: Uint8Array, name: string): string {
  const signed = writeTemp(dir, `${name}.pdf`, pdf);
  const flat = `${signed}.flat.pdf`;
  execFileSync('qpdf', ['--flatten-annotations=all', signed, flat]);
  return execFileSync('pdftotext', ['-layout', flat, '-'], { encoding: 'utf8' }).normalize('NFC');
}

/** Signs visibly and checks that pixels change inside the requested rectangle only (visible coordinates, points). */
function expectDrawnInside(before: Uint8Array, after: Uint8Array, rect: [number, number, number, number], name: string): void {
  const a = renderPage(writeTemp(dir, `${name}-before.pdf`, before), 1, DPI, dir);
  const b = renderPage(writeTemp(dir, `${name}-after.pdf`, after), 1, DPI, dir);
  const box = diffBox(a, b);
  expect(box, 'something was drawn').not.toBeNull();
  const s = DPI / 72;
  const [x, y, w, h] = rect;
  const tol = 1.5;
  expect(box!.x1).toBeGreaterThanOrEqual(Math.floor(x * s - tol));
  expect(box!.x2).toBeLessThanOrEqual(Math.ceil((x + w) * s + tol));
  expect(box!.y1).toBeGreaterThanOrEqual(Math.floor(a.height - (y + h) * s - tol));
  expect(box!.y2).toBeLessThanOrEqual(Math.ceil(a.height - y * s + tol));
}

describe('visible signatures: drawn where asked, nothing else changes, text reads back exactly', () => {
  const rect: [number, number, number, number] = [320, 120, 200, 80];

  it('approve with a signature image and text lines', async () => {
    const input = read(samples.simple);
    const appearance: AppearanceOptions = { role: 'approve', image: { bytes: signatureImage() }, showText: true, organization: 'Văn phòng UBND thành phố Đà Nẵng' };
    const output = await sign(input, { adapter: leader, appearance, placement: { page: 1, rect }, signingTime: T0 });
    expectDrawnInside(input, output, rect, 'approve');
    const text = flattenedText(output, 'approve');
    expect(text).toContain('Nguyễn Văn Đức');
    expect(text).toContain('Đà Nẵng');
    expect(text).toContain('05/03/2026 14:30:12 +07:00');
    expect(pdfsig(writeTemp(dir, 'approve.pdf', output), pki.nssDir).valid).toBe(1);
  });

  it('rectangle in millimetres', async () => {
    const input = read(samples.simple);
    const mm = [100, 40, 60, 25] as const;
    const output = await sign(input, { adapter: leader, appearance: { role: 'approve', image: { bytes: signatureImage() } }, placement: { rect: mm, unit: 'mm' }, signingTime: T0 });
    const k = 72 / 25.4;
    expectDrawnInside(input, output, [mm[0] * k, mm[1] * k, mm[2] * k, mm[3] * k], 'mm');
  });

  it('issue: the red seal over the left third of the leader signature, both signatures valid', async () => {
    const input = read(samples.vietnamese);
    const approved = await sign(input, { adapter: leader, appearance: { role: 'approve', image: { bytes: signatureImage() } }, placement: { rect }, signingTime: T0 });
    const issued = await sign(approved, { adapter: seal, appearance: { role: 'issue', image: { bytes: sealImage(36) } }, signingTime: T0 });
    const text = new TextDecoder('latin1').decode(issued.subarray(approved.length));
    const r = /\/Rect \[([-\d. ]+)\]/.exec(text)!;
    const [x1, y1, x2, y2] = r[1]!.trim().split(/\s+/).map(Number) as [number, number, number, number];
    const sealPt = 36 * 72 / 25.4;
    expect(x2 - x1).toBeCloseTo(sealPt, 1); // real size: 36 mm
    expect(y2 - y1).toBeCloseTo(sealPt, 1);
    expect(x2).toBeCloseTo(rect[0] + rect[2] / 3, 1); // covers the left third of the signature
    expect((y1 + y2) / 2).toBeCloseTo(rect[1] + rect[3] / 2, 1);
    expect(pdfsig(writeTemp(dir, 'issued.pdf', issued), pki.nssDir).valid).toBe(2);
  });

  it('appendix: 10 pt text at the top right of page 1 with number, agency and time', async () => {
    const input = read(samples.simple);
    const output = await sign(input, { adapter: seal, appearance: { role: 'appendix', docNumber: '15/QĐ-UBND', organization: 'Ủy ban nhân dân thành phố Đà Nẵng' }, signingTime: T0 });
    const text = flattenedText(output, 'appendix');
    expect(text).toContain('15/QĐ-UBND');
    expect(text).toContain('Ủy ban nhân dân thành phố Đà Nẵng');
    const a = renderPage(writeTemp(dir, 'ap-before.pdf', input), 1, DPI, dir);
    const b = renderPage(writeTemp(dir, 'ap-after.pdf', output), 1, DPI, dir);
    const box = diffBox(a, b)!;
    expect(box.x2).toBeGreaterThan(a.width * 0.8); // right side
    expect(box.y1).toBeLessThan(a.height * 0.12); // top
  });

  it('copy: SAO Y, agency and time', async () => {
    const input = read(samples.simple);
    const output = await sign(input, { adapter: seal, appearance: { role: 'copy', copyForm: 'SAO Y', organization: 'Sở Nội vụ' }, signingTime: T0 });
    const text = flattenedText(output, 'copy');
    expect(text).toContain('SAO Y');
    expect(text).toContain('Sở Nội vụ');
    // Box 14 (Appendix I Part II §I): top right of page 1, three lines of 10 pt text (1.2 × 10 pt apart).
    const a = renderPage(writeTemp(dir, 'copy-before.pdf', input), 1, DPI, dir);
    const b = renderPage(writeTemp(dir, 'copy-after.pdf', output), 1, DPI, dir);
    const box = diffBox(a, b)!;
    expect(box.x2).toBeGreaterThan(a.width * 0.8);
    expect(box.y1).toBeLessThan(a.height * 0.12);
    const heightPt = ((box.y2 - box.y1) * 72) / DPI;
    expect(heightPt).toBeGreaterThan(26); // two line gaps (24 pt) and a 10 pt line's ink
    expect(heightPt).toBeLessThan(40); // a 12 pt or larger text would not fit
  });

  it('on a page with /Rotate 90 and a CropBox, the rectangle is where the reader sees it', async () => {
    const input = read(samples.rotated);
    const r: [number, number, number, number] = [60, 60, 160, 60];
    const output = await sign(input, { adapter: leader, appearance: { role: 'approve', showText: true }, placement: { rect: r }, signingTime: T0 });
    expectDrawnInside(input, output, r, 'rotated');
    expect(flattenedText(output, 'rotated')).toContain('Nguyễn Văn Đức');
  });

  it('signs into the widget of an existing field with its own rectangle', async () => {
    const input = read(samples['acroform-empty-field']);
    const output = await sign(input, { adapter: leader, field: 'SigLeader', appearance: { role: 'approve', showText: true }, signingTime: T0 });
    expect(flattenedText(output, 'field')).toContain('Nguyễn Văn Đức');
    expect(pdfsig(writeTemp(dir, 'field-vis.pdf', output), pki.nssDir).valid).toBe(1);
  });
});
