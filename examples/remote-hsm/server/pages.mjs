// @ts-check
// The "phone" confirmation page: plain HTML, no script at all, one same-origin stylesheet, served under
//   Content-Security-Policy: default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'
// Texts in Vietnamese and English. Everything interpolated is escaped.

export const CSP = "default-src 'none'; style-src 'self'; img-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const CONFIRM_CSS = `
:root { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; color: #1b1f24; background: #f3f5f8; }
body { margin: 0; display: flex; justify-content: center; }
main { max-width: 26rem; margin: 1.5rem; padding: 1.25rem 1.5rem; background: #fff; border-radius: 12px; box-shadow: 0 1px 4px #0002; }
h1 { font-size: 1.2rem; margin: 0 0 .75rem; }
dl { display: grid; grid-template-columns: auto 1fr; gap: .35rem .75rem; margin: 0 0 1rem; }
dt { color: #5a6470; }
dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.en { display: block; font-size: .8em; color: #5a6470; font-weight: normal; }
form { display: flex; gap: .75rem; }
button { flex: 1; font: inherit; font-weight: 600; padding: .7rem; border-radius: 8px; border: 1px solid #0000; cursor: pointer; }
button[value=approve] { background: #0b6b3a; color: #fff; }
button[value=reject] { background: #fff; color: #9b1c1c; border-color: #9b1c1c; }
code { font-size: .85em; }
`;

/** @param {unknown} s */
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** @param {string} title @param {string} body */
const page = (title, body) => `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><link rel="stylesheet" href="/static/confirm.css"></head>
<body><main>${body}</main></body></html>`;

/**
 * @param {{ code: string, userName: string, credential: string, numSignatures: number, description: string,
 *   fingerprints: string[], expiresAt: Date }} p
 */
export function confirmationPage(p) {
  const when = p.expiresAt.toISOString().replace('T', ' ').slice(0, 19);
  return page('Xác nhận ký số', `
<h1>Xác nhận ký số <span class="en">Confirm signing</span></h1>
<dl>
  <dt>Người ký <span class="en">Signer</span></dt><dd id="signer">${esc(p.userName)}</dd>
  <dt>Chứng thư <span class="en">Certificate</span></dt><dd id="credential">${esc(p.credential)}</dd>
  <dt>Số chữ ký <span class="en">Signatures</span></dt><dd id="count">${esc(p.numSignatures)}</dd>
  ${p.description ? `<dt>Nội dung <span class="en">About</span></dt><dd id="description">${esc(p.description)}</dd>` : ''}
  <dt>Mã băm <span class="en">Digests</span></dt><dd id="digests">${p.fingerprints.map((f) => `<code>${esc(f)}</code>`).join(' ')}</dd>
  <dt>Hết hạn <span class="en">Expires (UTC)</span></dt><dd>${esc(when)}</dd>
</dl>
<form method="post" action="/confirm/${esc(p.code)}">
  <button type="submit" name="decision" value="approve">Đồng ý ký <span class="en">Approve</span></button>
  <button type="submit" name="decision" value="reject">Từ chối <span class="en">Reject</span></button>
</form>`);
}

/** @param {boolean} approved */
export function decidedPage(approved) {
  return page('Xác nhận ký số', approved
    ? '<h1 id="result" data-state="approved">Đã đồng ý ký <span class="en">Approved</span></h1><p>Bạn có thể đóng trang này. <span class="en">You can close this page.</span></p>'
    : '<h1 id="result" data-state="rejected">Đã từ chối <span class="en">Rejected</span></h1><p>Yêu cầu ký đã bị hủy. <span class="en">The signing request was cancelled.</span></p>');
}

export function notFoundPage() {
  return page('Không tìm thấy', '<h1 id="result" data-state="gone">Yêu cầu không còn hiệu lực <span class="en">This request is no longer open</span></h1>');
}
