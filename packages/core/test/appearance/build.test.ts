import { afterEach, describe, expect, it } from 'vitest';
import {
  buildAppearance, PT_PER_MM, setDefaultFontLoader, type BuildAppearanceInput, type BuiltAppearance, type SignatureRole,
} from '../../src/pdf/appearance/index.js';
import { DEJAVU, numberArray, objectBody, readStream, TWO_TONE_JPEG } from './helpers.js';
import { sealPng, signaturePng } from './png.js';

const signingTime = new Date('2024-03-05T07:30:12Z');
const input = (o: Partial<BuildAppearanceInput> & { role: SignatureRole }): BuildAppearanceInput => ({
  signingTime, signerName: 'Nguyễn Văn Đức', organization: 'UBND thành phố Đà Nẵng', font: DEJAVU, ...o,
});
const box = { width: 200, height: 80 };

const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
const form = (built: BuiltAppearance) => readStream(objectBody(built, built.xobject));
const dictsOf = (built: BuiltAppearance): string[] => built.objects.map((o) => readStream(o.body).dict);

const ROLES: readonly [string, BuildAppearanceInput][] = [
  ['approve with the leader signature', input({ role: 'approve', image: { bytes: signaturePng() } })],
  ['approve as text', input({ role: 'approve' })],
  ['issue with the seal', input({ role: 'issue', image: { bytes: sealPng(20) } })],
  ['appendix', input({ role: 'appendix', docNumber: '15/QĐ-UBND' })],
  ['copy', input({ role: 'copy', copyForm: 'SAO Y' })],
  ['comment', input({ role: 'comment', reason: 'Đồng ý ban hành' })],
  ['custom', input({ role: 'custom', image: { bytes: TWO_TONE_JPEG }, template: '{signer}\n{time}' })],
];

describe('buildAppearance: objects for the incremental writer', () => {
  it.each(ROLES)('%s: contiguous numbers from firstObjectNumber, one form XObject with BBox = box', async (_name, opts) => {
    const built = await buildAppearance(opts, box, 0, 42);
    expect(built.objects.map((o) => o.num)).toEqual(Array.from({ length: built.objects.length }, (_, i) => 42 + i));
    expect(built.nextObjectNumber).toBe(42 + built.objects.length);
    expect(built.objects.some((o) => o.num === built.xobject)).toBe(true);
    const { dict, data } = form(built);
    expect(dict).toMatch(/\/Subtype \/Form/);
    expect(numberArray(dict, 'BBox')).toEqual([0, 0, 200, 80]);
    expect(numberArray(dict, 'Matrix')).toEqual([1, 0, 0, 1, 0, 0]);
    // Clipped to the BBox before anything is drawn.
    expect(latin1(data)).toMatch(/^q\n0 0 200 80 re W n\n/);
    // Nothing of the scratch document leaks out.
    for (const d of dictsOf(built)) expect(d).not.toMatch(/\/Type \/(Catalog|Pages|Page)\b/);
    // Every reference points inside the appearance.
    for (const o of built.objects) {
      for (const m of latin1(o.body).matchAll(/(\d+) 0 R/g)) expect(Number(m[1])).toBeGreaterThanOrEqual(42);
    }
  });

  it('draws the role text, NFC, and reports it', async () => {
    const built = await buildAppearance(input({ role: 'appendix', docNumber: '15/QĐ-UBND' }), box, 0, 1);
    expect(built.text).toEqual(['15/QĐ-UBND', 'UBND thành phố Đà Nẵng', '05/03/2024 14:30:12 +07:00']);
    const content = latin1(form(built).data);
    expect(content).toMatch(/\/F1 10 Tf/); // Appendix I §II.8b: 10 pt
    expect(content.match(/> Tj/g)).toHaveLength(3);
    expect(content).toMatch(/0 g/); // black
  });

  it('embeds a subset TrueType font with a ToUnicode CMap', async () => {
    const built = await buildAppearance(input({ role: 'approve' }), box, 0, 1);
    const dicts = dictsOf(built).join('\n');
    expect(dicts).toMatch(/\/Subtype \/Type0/);
    expect(dicts).toMatch(/\/ToUnicode \d+ 0 R/);
    expect(dicts).toMatch(/\/FontFile2 \d+ 0 R/);
    expect(dicts).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
  });

  it('keeps PNG transparency as an /SMask', async () => {
    const built = await buildAppearance(input({ role: 'approve', image: { bytes: signaturePng() } }), box, 0, 1);
    const images = dictsOf(built).filter((d) => /\/Subtype \/Image/.test(d));
    expect(images).toHaveLength(2);
    const main = images.find((d) => /\/SMask \d+ 0 R/.test(d));
    expect(main).toBeDefined();
    expect(images.some((d) => /\/ColorSpace \/DeviceGray/.test(d))).toBe(true);
    expect(built.text).toEqual([]); // the image replaces the text by default
    expect(dictsOf(built).join('\n')).not.toMatch(/\/Font/);
  });

  it('embeds a JPEG as DCTDecode', async () => {
    const built = await buildAppearance(input({ role: 'custom', image: { bytes: TWO_TONE_JPEG } }), box, 0, 1);
    const image = dictsOf(built).find((d) => /\/Subtype \/Image/.test(d));
    expect(image).toMatch(/\/Filter \/DCTDecode/);
    expect(image).not.toMatch(/\/SMask/);
  });

  it('fits the signature image keeping its aspect, centred', async () => {
    // 240×80 px image in a 200×80 box → 200×66.667 centred vertically.
    const built = await buildAppearance(input({ role: 'approve', image: { bytes: signaturePng() } }), box, 0, 1);
    expect(latin1(form(built).data)).toMatch(/q\n200 0 0 66\.6667 0 6\.6667 cm\n\/Im1 Do\nQ/);
  });

  it('draws the seal at its real size (Appendix I §II.8a)', async () => {
    const size = 36 * PT_PER_MM;
    const built = await buildAppearance(input({ role: 'issue', image: { bytes: sealPng(36) } }), { width: 150, height: 150 }, 0, 1);
    const m = /q\n([\d.]+) 0 0 ([\d.]+) ([\d.]+) ([\d.]+) cm\n\/Im1 Do/.exec(latin1(form(built).data));
    expect(Number(m?.[1])).toBeCloseTo(size, 3);
    expect(Number(m?.[2])).toBeCloseTo(size, 3);
    expect(Number(m?.[3])).toBeCloseTo((150 - size) / 2, 3);
  });

  it('shrinks the seal only when the box is smaller than the seal', async () => {
    const built = await buildAppearance(input({ role: 'issue', image: { bytes: sealPng(36) } }), { width: 50, height: 50 }, 0, 1);
    expect(latin1(form(built).data)).toMatch(/q\n50 0 0 50 0 0 cm\n\/Im1 Do/);
  });

  it('shrinks the font (not below 6 pt) when the text would overflow', async () => {
    const small = await buildAppearance(input({ role: 'appendix', docNumber: '15/QĐ-UBND' }), { width: 90, height: 30 }, 0, 1);
    const size = Number(/\/F1 ([\d.]+) Tf/.exec(latin1(form(small).data))?.[1]);
    expect(size).toBeLessThan(10);
    expect(size).toBeGreaterThanOrEqual(6);
    const tiny = await buildAppearance(input({ role: 'appendix', docNumber: '15/QĐ-UBND' }), { width: 20, height: 10 }, 0, 1);
    expect(latin1(form(tiny).data)).toMatch(/\/F1 6 Tf/);
  });

  it.each([
    [90, [0, 1, -1, 0, 80, 0]],
    [180, [-1, 0, 0, -1, 200, 80]],
    [270, [0, -1, 1, 0, 0, 200]],
  ] as const)('turns the content upright on a page with /Rotate %i', async (rotation, matrix) => {
    const built = await buildAppearance(input({ role: 'approve' }), box, rotation, 1);
    const { dict } = form(built);
    expect(numberArray(dict, 'Matrix')).toEqual(matrix);
    expect(numberArray(dict, 'BBox')).toEqual([0, 0, 200, 80]);
  });

  it('is deterministic: same input, same bytes', async () => {
    const a = await buildAppearance(input({ role: 'approve', image: { bytes: signaturePng() }, showText: true }), box, 90, 7);
    const b = await buildAppearance(input({ role: 'approve', image: { bytes: signaturePng() }, showText: true }), box, 90, 7);
    expect(b.objects).toEqual(a.objects);
  });
});

describe('buildAppearance: the default font', () => {
  afterEach(() => setDefaultFontLoader(undefined));

  it('loads it through the host-provided loader, once', async () => {
    let calls = 0;
    setDefaultFontLoader(async () => { calls++; return DEJAVU; });
    const { font: _font, ...noFont } = input({ role: 'approve' });
    await buildAppearance(noFont, box, 0, 1);
    await buildAppearance(noFont, box, 0, 1);
    expect(calls).toBe(1);
  });

  it('fails with ERR_SIG_APPEARANCE when no font is available', async () => {
    const { font: _font, ...noFont } = input({ role: 'approve' });
    await expect(buildAppearance(noFont, box, 0, 1)).rejects.toMatchObject({ code: 'ERR_SIG_APPEARANCE' });
  });

  it('an image-only appearance needs no font', async () => {
    const { font: _font, ...noFont } = input({ role: 'issue', image: { bytes: sealPng() } });
    await expect(buildAppearance(noFont, box, 0, 1)).resolves.toBeDefined();
  });
});

/** A PNG whose IHDR says 10 000 × 10 000 pixels (the rest is irrelevant: it must be refused before decoding). */
function hugePngHeader(): Uint8Array {
  const png = signaturePng(1, 1);
  const view = new DataView(png.buffer, png.byteOffset);
  view.setUint32(16, 10_000);
  view.setUint32(20, 10_000);
  return png;
}

describe('buildAppearance: refusals', () => {
  const cases: readonly [string, () => Promise<unknown>, string][] = [
    ['an empty box', () => buildAppearance(input({ role: 'approve' }), { width: 0, height: 10 }, 0, 1), 'ERR_INVALID_ARGUMENT'],
    ['a rotation of 45', () => buildAppearance(input({ role: 'approve' }), box, 45 as 90, 1), 'ERR_INVALID_ARGUMENT'],
    ['object number 0', () => buildAppearance(input({ role: 'approve' }), box, 0, 0), 'ERR_INVALID_ARGUMENT'],
    ['an image on an appendix signature', () => buildAppearance(input({ role: 'appendix', docNumber: '1/TB', image: { bytes: sealPng() } }), box, 0, 1), 'ERR_INVALID_ARGUMENT'],
    ['an appendix without its number', () => buildAppearance(input({ role: 'appendix' }), box, 0, 1), 'ERR_INVALID_ARGUMENT'],
    ['nothing to draw', () => buildAppearance(input({ role: 'custom' }), box, 0, 1), 'ERR_INVALID_ARGUMENT'],
    ['a GIF', () => buildAppearance(input({ role: 'approve', image: { bytes: new TextEncoder().encode('GIF89a') } }), box, 0, 1), 'ERR_SIG_APPEARANCE'],
    ['a corrupt PNG', () => buildAppearance(input({ role: 'approve', image: { bytes: signaturePng().slice(0, 60) } }), box, 0, 1), 'ERR_SIG_APPEARANCE'],
    ['an image header claiming 10⁸ pixels', () => buildAppearance(input({ role: 'approve', image: { bytes: hugePngHeader() } }), box, 0, 1), 'ERR_SIG_APPEARANCE'],
    ['text the font cannot draw', () => buildAppearance(input({ role: 'approve', signerName: '漢字' }), box, 0, 1), 'ERR_SIG_APPEARANCE'],
    ['bytes that are not a font', () => buildAppearance(input({ role: 'approve', font: new Uint8Array(100) }), box, 0, 1), 'ERR_SIG_APPEARANCE'],
  ];
  it.each(cases)('refuses %s', async (_name, run, code) => {
    await expect(run()).rejects.toMatchObject({ code });
  });
});
