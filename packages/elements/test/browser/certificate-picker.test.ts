import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import axe from 'axe-core';
import { kysoError, type CertificateEntry, type SigningAdapter } from '@kyso/core';
import { Pkcs12Adapter } from '@kyso/adapters';
import { CertificatePicker } from '../../src/certificate-picker/define.js';
import { fixture } from '../../../core/test/browser/fixtures.js';

const P12_PASSWORD = 'kyso-test'; // the test PKI's (packages/testkit/src/pki/profile.ts)
const open = async (name: string) => Pkcs12Adapter.open(await fixture(`pki/${name}.p12`), P12_PASSWORD);

/** Several real software keys behind one adapter, as a token holding several certificates would list them. */
function tokenOf(adapters: readonly SigningAdapter[]): SigningAdapter {
  return {
    name: 'test-token',
    async listCertificates(signal) {
      return (await Promise.all(adapters.map((a) => a.listCertificates(signal)))).flat();
    },
    capabilities: () => adapters[0]!.capabilities(),
    async sign(request) {
      for (const a of adapters) {
        if ((await a.listCertificates()).some((e) => e.id === request.certificateId)) return a.sign(request);
      }
      throw kysoError('ERR_KEY_NOT_FOUND');
    },
  };
}

async function mount(adapter: SigningAdapter | undefined, lang = 'vi'): Promise<CertificatePicker> {
  const picker = document.createElement('certificate-picker');
  picker.lang = lang;
  picker.adapter = adapter;
  document.body.append(picker);
  await until(() => !picker.shadowRoot?.querySelector('[role="status"][aria-live]'), picker);
  return picker;
}

async function until(done: () => boolean, el: CertificatePicker): Promise<void> {
  for (let i = 0; i < 200 && !(el.hasUpdated && done()); i++) await new Promise((r) => setTimeout(r, 10));
  await el.updateComplete;
}

const text = (picker: CertificatePicker) => picker.shadowRoot!.textContent!.replace(/\s+/g, ' ');
const options = (picker: CertificatePicker) => [...picker.shadowRoot!.querySelectorAll<HTMLElement>('[role="option"]')];

afterEach(() => document.body.replaceChildren());

describe('<certificate-picker>', () => {
  it('lists the leader certificate with its Vietnamese subject, CCCD identifier, issuer, validity and key usage, and selects the only one', async () => {
    const selected: CertificateEntry[] = [];
    document.addEventListener('kyso-certificate-selected', (e) => selected.push(e.detail), { once: true });
    const picker = await mount(await open('leader'));
    const shown = text(picker);
    expect(shown).toContain('Nguyễn Văn Đức');
    expect(shown).toContain('Văn phòng UBND thành phố Đà Nẵng (TEST)');
    expect(shown).toContain('CCCD:001085012345');
    expect(shown).toMatch(/Tổ chức cấp: \S/);
    expect(shown).toContain('digitalSignature, nonRepudiation');
    expect(picker.shadowRoot!.querySelector('[part="warning"]')).toBeNull();
    expect(selected).toHaveLength(1);
    expect(options(picker)[0]!.getAttribute('aria-selected')).toBe('true');
  });

  it('warns about an expired, a not-yet-valid and a non-signing certificate, in Vietnamese and in English', async () => {
    const token = tokenOf([await open('leader'), await open('expired'), await open('notyet'), await open('nokeyusage')]);
    const vi = await mount(token, 'vi');
    const warnings = options(vi).map((o) => [...o.querySelectorAll('[part="warning"]')].map((w) => w.textContent!.trim()));
    expect(warnings[0]).toEqual([]);
    expect(warnings[1]).toEqual(['⚠ Chứng thư số đã hết hạn.']);
    expect(warnings[2]).toEqual(['⚠ Chứng thư số chưa đến thời gian có hiệu lực.']);
    expect(warnings[3]![0]).toContain('không dùng để ký');
    // Four certificates: none is chosen for the user.
    expect(vi.selected).toBeUndefined();

    const en = await mount(token, 'en');
    const warned = options(en).map((o) => o.querySelector('[part="warning"]')?.textContent?.trim() ?? null);
    expect(warned).toEqual([null, '⚠ The certificate has expired.', '⚠ The certificate is not valid yet.', expect.stringContaining('not for signing')]);
    expect(text(en)).toContain('Issuer:');
  });

  it('is operated by keyboard: arrow keys move, Enter selects and fires kyso-certificate-selected with the entry', async () => {
    const token = tokenOf([await open('leader'), await open('seal'), await open('p256')]);
    const picker = await mount(token);
    const entries = await token.listCertificates();
    const chosen: CertificateEntry[] = [];
    picker.addEventListener('kyso-certificate-selected', (e) => chosen.push(e.detail));
    const listbox = picker.shadowRoot!.querySelector<HTMLElement>('[role="listbox"]')!;
    listbox.focus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{ArrowUp}{Enter}');
    expect(chosen.map((e) => e.id)).toEqual([entries[1]!.id]);
    expect(picker.selected).toBe(entries[1]!.id);
    await picker.updateComplete;
    expect(options(picker).map((o) => o.getAttribute('aria-selected'))).toEqual(['false', 'true', 'false']);
    expect(listbox.getAttribute('aria-activedescendant')).toBe(options(picker)[1]!.id);
    await userEvent.keyboard('{End}{Enter}');
    expect(chosen.at(-1)!.id).toBe(entries[2]!.id);
    expect(text(picker)).toContain('Ủy ban nhân dân thành phố Đà Nẵng');
    expect(text(picker)).toContain('MST:0400101556');
  });

  it('shows the adapter\'s error with its code and fires kyso-error; retry reads again', async () => {
    let fail = true;
    const leader = await open('leader');
    const flaky: SigningAdapter = {
      name: 'flaky',
      listCertificates: async (signal) => {
        if (fail) throw kysoError('ERR_KEY_NOT_FOUND', 'token not plugged in');
        return leader.listCertificates(signal);
      },
      capabilities: () => leader.capabilities(),
      sign: (r) => leader.sign(r),
    };
    const errors: { code: string; message: string }[] = [];
    document.addEventListener('kyso-error', (e) => errors.push((e as CustomEvent).detail), { once: true });
    const picker = await mount(flaky, 'en');
    expect(errors).toEqual([{ code: 'ERR_KEY_NOT_FOUND', message: expect.any(String), cause: expect.objectContaining({ detail: 'token not plugged in' }) }]);
    expect(picker.shadowRoot!.querySelector('[role="alert"]')!.textContent).toContain('ERR_KEY_NOT_FOUND');
    // No technical detail (it may quote anything) reaches the page.
    expect(text(picker)).not.toContain('token not plugged in');
    fail = false;
    await userEvent.click(picker.shadowRoot!.querySelector<HTMLElement>('[part="retry"]')!);
    await until(() => options(picker).length === 1, picker);
    expect(text(picker)).toContain('Nguyễn Văn Đức');
  });

  it('shows the empty and no-adapter states', async () => {
    const none = await mount(undefined, 'en');
    expect(text(none)).toContain('No key source is configured.');
    const empty: SigningAdapter = { name: 'empty', listCertificates: async () => [], capabilities: () => ({ schemes: [], hashes: [] }), sign: async () => new Uint8Array() };
    const picker = await mount(empty, 'vi');
    expect(text(picker)).toContain('Không tìm thấy chứng thư số nào.');
  });

  it('has no axe violations with warnings shown', async () => {
    const picker = await mount(tokenOf([await open('leader'), await open('expired')]));
    const result = await axe.run(picker);
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });

  it('is the class registered for the tag', () => {
    expect(customElements.get('certificate-picker')).toBe(CertificatePicker);
  });
});
