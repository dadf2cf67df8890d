import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { KysoError, sign, type SigningAdapter } from '@kyso/core';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples, sealImage, signatureImage, type SampleName, type TestPki } from '@kyso/testkit';
import { PdfDocument } from '../../src/pdf/document.js';
import { memorySource } from '../../src/pdf/byte-source.js';
import { listFields } from '../../src/pdf/fields.js';
import { PdfRef } from '../../src/pdf/objects.js';
import { findText } from '../../src/pdf/text/index.js';
import { pdfsig, tempDir, writeTemp } from '../helpers/signed-pdf.js';
import type { Placement } from '../../src/sign/options.js';

let pki: TestPki;
let samples: Record<SampleName, string>;
let dir: string;
let leader: SigningAdapter;
const T0 = new Date('2026-03-05T07:30:12Z');
const read = (n: SampleName) => new Uint8Array(readFileSync(samples[n]));

beforeAll(async () => {
  pki = await ensurePki();
  samples = await ensureSamples();
  dir = tempDir('kyso-anchor-');
  const e = pki.entity('leader');
  leader = await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
});

/** The widget of the last signature field: its /Rect and the page it sits on (1-based). */
function lastWidget(pdf: Uint8Array): { rect: number[]; page: number } {
  const doc = PdfDocument.open(memorySource(pdf));
  const f = listFields(doc).filter((x) => x.type === 'Sig').pop()!;
  const rect = (doc.resolve(f.dict.get('Rect')) as number[]).map((v) => doc.resolve(v) as number);
  const p = f.dict.get('P') as PdfRef;
  return { rect, page: doc.pages().findIndex((pg) => pg.ref.num === p.num) + 1 };
}

function anchorRect(n: SampleName, text: string, page = 1): [number, number, number, number] {
  const doc = PdfDocument.open(memorySource(read(n)));
  return findText(doc, doc.pages()[page - 1]!, text)[0]!.rect;
}

async function signWith(n: SampleName | Uint8Array, placement: Placement, role: 'approve' | 'issue' = 'approve', adapter = leader): Promise<Uint8Array> {
  const input = typeof n === 'string' ? read(n) : n;
  const image = role === 'issue' ? sealImage(36) : signatureImage();
  return sign(input, { adapter, signingTime: T0, appearance: { role, image: { bytes: image } }, placement });
}

describe('placement.anchor: the signature next to a text on the page', () => {
  it('puts the leader signature above the printed name, below the title (Decree 30)', async () => {
    const out = await signWith('vietnamese', { page: 1, anchor: { text: 'Nguyễn Văn Đức' } });
    const name = anchorRect('vietnamese', 'Nguyễn Văn Đức');
    const title = anchorRect('vietnamese', 'CHỦ TỊCH');
    const titles = (() => {
      const doc = PdfDocument.open(memorySource(read('vietnamese')));
      return findText(doc, doc.pages()[0]!, 'CHỦ TỊCH').map((m) => m.rect);
    })();
    const signerTitle = titles[titles.length - 1]!; // the one in the signature block, not the preamble
    expect(title).toEqual(titles[0]);
    const { rect, page } = lastWidget(out);
    expect(page).toBe(1);
    expect(rect[1]).toBeCloseTo(name[3] + 2, 2); // 2 pt above the name's top
    expect(rect[3] - rect[1]).toBeCloseTo(60, 2);
    expect(rect[2] - rect[0]).toBeCloseTo(Math.max(150, name[2] - name[0]), 2);
    expect((rect[0] + rect[2]) / 2).toBeCloseTo((name[0] + name[2]) / 2, 2);
    expect(rect[3]).toBeLessThan(signerTitle[1]); // below "CHỦ TỊCH"
    const sig = pdfsig(writeTemp(dir, 'anchor-vietnamese.pdf', out), pki.nssDir);
    expect(sig.valid, sig.output).toBe(1);
  });

  it('places below, right of and over the text, with the given size', async () => {
    const t = anchorRect('simple', 'Page 1 of 1');
    const cx = (t[0] + t[2]) / 2;
    const cy = (t[1] + t[3]) / 2;
    const cases: [NonNullable<Placement['anchor']>['position'], number[]][] = [
      ['below', [cx - 50, t[1] - 2 - 40, cx + 50, t[1] - 2]],
      ['right', [t[2] + 2, cy - 20, t[2] + 102, cy + 20]],
      ['over', [cx - 50, cy - 20, cx + 50, cy + 20]],
      ['above', [cx - 50, t[3] + 2, cx + 50, t[3] + 42]],
    ];
    for (const [position, want] of cases) {
      const out = await signWith('simple', { anchor: { text: 'Page 1 of 1', position, width: 100, height: 40 } });
      lastWidget(out).rect.forEach((v, i) => expect(v, `${position} [${i}]`).toBeCloseTo(want[i]!, 2));
    }
  });

  it('works in visible coordinates on a page with /Rotate 90', async () => {
    const t = anchorRect('rotated', 'CropBox');
    const out = await signWith('rotated', { anchor: { text: 'CropBox' } });
    const { rect } = lastWidget(out);
    // Shown turned by 90°, "above" on screen is towards smaller user-space x.
    expect(rect[2]).toBeCloseTo(t[0] - 2, 2);
    expect(rect[2] - rect[0]).toBeCloseTo(60, 2);
    expect((rect[1] + rect[3]) / 2).toBeCloseTo((t[1] + t[3]) / 2, 2);
    const sig = pdfsig(writeTemp(dir, 'anchor-rotated.pdf', out), pki.nssDir);
    expect(sig.valid, sig.output).toBe(1);
  });

  it('searches the other pages when the anchor is not on the requested one', async () => {
    const out = await signWith('pages-120', { page: 1, anchor: { text: 'Page 7 of 120' } });
    const { rect, page } = lastWidget(out);
    expect(page).toBe(7);
    expect(rect[1]).toBeCloseTo(anchorRect('pages-120', 'Page 7 of 120', 7)[3] + 2, 2);
  });

  it('refuses a text that no page shows with ERR_PDF_ANCHOR_NOT_FOUND', async () => {
    const err = await signWith('vietnamese', { anchor: { text: 'Trần Thị Bình' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KysoError);
    expect((err as KysoError).code).toBe('ERR_PDF_ANCHOR_NOT_FOUND');
  });

  it('refuses an empty anchor text or a bad size with ERR_INVALID_ARGUMENT', async () => {
    for (const anchor of [{ text: ' ' }, { text: 'Nguyễn', width: -1 }, { text: 'Nguyễn', height: Number.NaN }]) {
      const err = await signWith('vietnamese', { anchor }).catch((e: unknown) => e);
      expect((err as KysoError).code, JSON.stringify(anchor)).toBe('ERR_INVALID_ARGUMENT');
    }
  });

  it('places the agency seal over the leader signature as before, even with an anchor', async () => {
    const approved = await signWith('vietnamese', { anchor: { text: 'Nguyễn Văn Đức' } });
    const e = pki.entity('seal');
    const seal = await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
    const withAnchor = lastWidget(await signWith(approved, { anchor: { text: 'CHỦ TỊCH' } }, 'issue', seal)).rect;
    const without = lastWidget(await signWith(approved, {}, 'issue', seal)).rect;
    expect(withAnchor).toEqual(without);
    // With no leader signature yet, the anchor places the seal (its own size) above the text.
    const alone = lastWidget(await signWith('vietnamese', { anchor: { text: 'Nguyễn Văn Đức' } }, 'issue', seal)).rect;
    expect(alone[1]).toBeCloseTo(anchorRect('vietnamese', 'Nguyễn Văn Đức')[3] + 2, 2);
  });
});
