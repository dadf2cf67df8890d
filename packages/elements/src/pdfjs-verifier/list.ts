/**
 * The verdicts as a plain list element a viewer page can place beside pdf.js's
 * pages (pdf.js < 6.2 has no signature panel at all; ≥ 6.2 has one only in the
 * rebuilt viewer application). DOM only, no inline styles (a strict CSP's
 * style-src 'self' forbids style attributes): the page styles it through the
 * classes and `data-state`.
 */
import type { Lang } from '../shared/locale.js';
import type { PdfjsSignatureVerdict } from './document.js';
import { describeVerdict, VERDICT_STRINGS } from './strings.js';

function line(doc: Document, text: string): HTMLParagraphElement {
  const p = doc.createElement('p');
  p.textContent = text;
  return p;
}

/**
 * `<ul class="kyso-signatures">` with one `<li class="sig state-<state>" data-state="<state>">` per signature:
 * its headline (`<h3>`), signer, time (timestamp if any, else the signer's claim), kyso's message, and the
 * changes after signing (`<li class="change-allowed|change-disallowed">`). States: see {@link describeVerdict}.
 */
export function renderSignatureList(verdicts: readonly PdfjsSignatureVerdict[], lang: Lang, doc: Document = document): HTMLUListElement {
  const s = VERDICT_STRINGS[lang];
  const list = doc.createElement('ul');
  list.className = 'kyso-signatures';
  for (const { signature, result } of verdicts) {
    const described = describeVerdict(result, lang);
    const item = doc.createElement('li');
    item.className = `sig state-${described.state}`;
    item.dataset.state = described.state;
    const heading = doc.createElement('h3');
    heading.textContent = described.headline;
    item.append(heading);
    const signer = result.certificate?.subjectCN ?? signature.signerName ?? null;
    if (signer) item.append(line(doc, `${s.signer}: ${signer}`));
    const { timestamp, claimed } = result.kyso?.signingTime ?? { timestamp: null, claimed: null };
    if (timestamp) item.append(line(doc, `${s.timestamp}: ${new Date(timestamp).toLocaleString(lang)}`));
    else if (claimed) item.append(line(doc, `${s.signedAt}: ${new Date(claimed).toLocaleString(lang)}`));
    if (result.message) item.append(line(doc, result.message));
    if (described.changes.length) {
      item.append(line(doc, `${s.changes}:`));
      const changes = doc.createElement('ul');
      for (const change of described.changes) {
        const li = doc.createElement('li');
        li.className = change.allowed ? 'change-allowed' : 'change-disallowed';
        li.textContent = change.text;
        changes.append(li);
      }
      item.append(changes);
    }
    list.append(item);
  }
  return list;
}
