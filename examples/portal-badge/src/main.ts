// The portal page: published documents, each with a <verify-badge> next to its link. Plain DOM on
// purpose: this is all a portal needs — one import that defines the badge, and three properties.
// Verification runs in the citizen's browser (in kyso's worker); revocation goes through this site's
// backend (the same allowlisted gateway as the QLVB demo), never to a third-party host.
import '@kyso/elements/verify-badge';
import { gatewayFetch } from '../../qlvb-demo/web/src/pki-fetch.js';

type Lang = 'vi' | 'en';
const TEXT = {
  vi: {
    title: 'Cổng thông tin điện tử thành phố Đà Nẵng (TEST)',
    lead: 'Văn bản đã ban hành. Mỗi văn bản có nhãn kiểm tra chữ ký số: ai ký, khi nào, văn bản còn nguyên vẹn hay không.',
    language: 'Ngôn ngữ', empty: 'Chưa có văn bản nào được đăng.', number: 'Số', date: 'ngày', download: 'Tải văn bản (PDF)',
  },
  en: {
    title: 'Da Nang city e-portal (TEST)',
    lead: 'Issued documents. Each carries a signature badge: who signed, when, and whether the document is intact.',
    language: 'Language', empty: 'Nothing has been published yet.', number: 'No.', date: 'dated', download: 'Download (PDF)',
  },
} as const satisfies Record<Lang, Record<string, string>>;

interface Published { readonly id: string; readonly title: string; readonly number: string | null; readonly date: string | null; readonly url: string }
interface Config { readonly trustRoot: string; readonly pkiPrefix: string; readonly pkiPaths: readonly string[] }

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json() as Promise<T>;
}

async function main(): Promise<void> {
  const [config, docs] = await Promise.all([json<Config>('/api/config'), json<Published[]>('/api/published')]);
  const root = new Uint8Array(await (await fetch(config.trustRoot)).arrayBuffer());
  const fetchVia = gatewayFetch(config);
  const select = $<HTMLSelectElement>('lang');
  const saved = localStorage.getItem('kyso-demo-lang');
  select.value = saved === 'en' ? 'en' : 'vi';

  const render = () => {
    const lang = select.value as Lang;
    const t = TEXT[lang];
    document.documentElement.lang = lang;
    $('title').textContent = t.title;
    $('lead').textContent = t.lead;
    $('lang-label').textContent = t.language;
    const list = $('documents');
    list.replaceChildren(...docs.map((d) => {
      const li = document.createElement('li');
      li.dataset.doc = d.id;
      const h = document.createElement('h2');
      h.textContent = d.title;
      const meta = document.createElement('p');
      meta.className = 'meta';
      meta.textContent = `${t.number} ${d.number ?? '—'}${d.date ? `, ${t.date} ${d.date.split('-').reverse().join('/')}` : ''}`;
      const badge = document.createElement('verify-badge') as HTMLElement & { trust: Uint8Array[]; fetch: unknown };
      badge.setAttribute('src', d.url);
      badge.setAttribute('revocation', 'online');
      badge.setAttribute('trust-profile', 'none'); // this demo trusts its test root only
      badge.setAttribute('lang', lang);
      badge.trust = [root];
      badge.fetch = fetchVia;
      const link = document.createElement('a');
      link.href = d.url;
      link.textContent = t.download;
      li.append(h, meta, badge, document.createElement('br'), link);
      return li;
    }));
    const empty = $('empty');
    empty.hidden = docs.length > 0;
    empty.textContent = t.empty;
  };
  select.addEventListener('change', () => {
    localStorage.setItem('kyso-demo-lang', select.value);
    render();
  });
  render();
}

void main();
