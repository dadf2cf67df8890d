import { describe, expect, it } from 'vitest';
import { appearanceLines, type AppearanceTextInput } from '../../src/pdf/appearance/index.js';

const base = {
  signingTime: new Date('2024-03-05T07:30:12Z'),
  signerName: 'Nguyễn Văn Đức',
  organization: 'UBND thành phố Đà Nẵng',
} as const;
const at = (o: Partial<AppearanceTextInput> & Pick<AppearanceTextInput, 'role'>): AppearanceTextInput => ({ ...base, ...o });

describe('appearanceLines', () => {
  it('approve: signer, organisation, time when there is no image', () => {
    expect(appearanceLines(at({ role: 'approve' }))).toEqual([
      'Ký bởi: Nguyễn Văn Đức', 'Cơ quan: UBND thành phố Đà Nẵng', 'Thời gian: 05/03/2024 14:30:12 +07:00',
    ]);
  });

  it('approve: no text by default when an image is given, unless showText', () => {
    const image = { bytes: new Uint8Array(1) };
    expect(appearanceLines(at({ role: 'approve', image }))).toEqual([]);
    expect(appearanceLines(at({ role: 'approve', image, showText: true }))).toHaveLength(3);
  });

  it('English labels', () => {
    expect(appearanceLines(at({ role: 'approve', lang: 'en' }))[0]).toBe('Signed by: Nguyễn Văn Đức');
  });

  it('appendix: document number, organisation, time; the number is mandatory', () => {
    expect(appearanceLines(at({ role: 'appendix', docNumber: '15/QĐ-UBND' }))).toEqual([
      '15/QĐ-UBND', 'UBND thành phố Đà Nẵng', '05/03/2024 14:30:12 +07:00',
    ]);
    expect(() => appearanceLines(at({ role: 'appendix' }))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('copy: copy form, organisation, time; the form is mandatory', () => {
    expect(appearanceLines(at({ role: 'copy', copyForm: 'SAO LỤC' }))[0]).toBe('SAO LỤC');
    expect(() => appearanceLines(at({ role: 'copy' }))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('issue: no text unless asked', () => {
    expect(appearanceLines(at({ role: 'issue' }))).toEqual([]);
    expect(appearanceLines(at({ role: 'issue', showText: true }))[0]).toBe('Cơ quan: UBND thành phố Đà Nẵng');
  });

  it('comment: the opinion first', () => {
    expect(appearanceLines(at({ role: 'comment', reason: 'Đồng ý' }))).toEqual([
      'Ý kiến: Đồng ý', 'Ký bởi: Nguyễn Văn Đức', 'Thời gian: 05/03/2024 14:30:12 +07:00',
    ]);
  });

  it('custom: fills the placeholders, one line per \\n, leaves unknown ones', () => {
    expect(appearanceLines(at({
      role: 'custom', template: '{signer} – {docNumber}\n{location}, {time}\n{nope}', docNumber: '7/TB', location: 'Đà Nẵng',
    }))).toEqual(['Nguyễn Văn Đức – 7/TB', 'Đà Nẵng, 05/03/2024 14:30:12 +07:00', '{nope}']);
  });

  it('explicit lines win and are split at line breaks', () => {
    expect(appearanceLines(at({ role: 'approve', lines: ['a\nb', 'c'] }))).toEqual(['a', 'b', 'c']);
  });

  it('NFC-normalises decomposed input', () => {
    const lines = appearanceLines(at({ role: 'approve', signerName: 'Nguyễn Văn Đức'.normalize('NFD'), organization: 'Đà Nẵng'.normalize('NFD') }));
    expect(lines[1]).toBe('Cơ quan: Đà Nẵng');
    expect(lines[0]).toBe('Ký bởi: Nguyễn Văn Đức');
    expect(appearanceLines(at({ role: 'custom', lines: ['Đà Nẵng'.normalize('NFD')] }))).toEqual(['Đà Nẵng']);
  });
});
