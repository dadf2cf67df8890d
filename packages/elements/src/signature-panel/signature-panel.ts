import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { SignatureReport, VerificationReport } from '@kyso/core';
import type { PageOverlay } from '../pdf-page-view/overlay.js';
import type { ErrorDetail } from '../shared/error-detail.js';
import { KysoElement } from '../shared/kyso-element.js';
import { formatSigningTime } from '../shared/format-time.js';
import { format, type Lang } from '../shared/locale.js';
import { signatureState } from '../verify-badge/badge-state.js';
import { BADGE_STRINGS } from '../verify-badge/strings.js';
import { changedRegions, type ChangedRegions } from './changed-regions.js';
import { signedLength } from './revisions.js';
import { PANEL_STRINGS } from './strings.js';
import { panelStyles } from './styles.js';

/** Detail of `kyso-changes`: the regions found for one signature. */
export interface ChangesDetail extends ChangedRegions {
  /** Index of the signature in `report.signatures`. */
  readonly signature: number;
}

type Viewer =
  | { readonly mode: 'none' }
  | { readonly mode: 'signed'; readonly index: number; readonly bytes: Uint8Array }
  | { readonly mode: 'comparing'; readonly index: number; readonly page: number; readonly pages: number }
  | { readonly mode: 'changes'; readonly index: number; readonly result: ChangedRegions }
  | { readonly mode: 'failed'; readonly index: number; readonly error: ErrorDetail };

type Copy = 'idle' | 'copied' | 'failed';

/**
 * Every signature and document timestamp of a verified PDF, in file order:
 * signer, claimed and timestamped times, level, certificate chain, revocation,
 * coverage, checks and the changes made after signing, with the report's
 * reasons in the reader's language.
 *
 * For a signature that covers an earlier revision, "View signed version"
 * renders exactly the bytes it signed, and "Show what changed" renders that
 * revision and the current file at the same scale, compares the pixels page by
 * page and outlines the regions that differ over the current pages. "Copy the
 * report" puts the JSON report on the clipboard.
 *
 * The panel does not verify: give it the `report` (from `verify`, the worker
 * client or a `<verify-badge>`) and the `data` it was made from.
 *
 * @element signature-panel
 * @summary Signatures of a PDF in detail, the signed versions, and what changed since.
 *
 * @fires kyso-changes - The comparison for a signature finished; `detail` is a `ChangesDetail`.
 * @fires kyso-report-copied - The JSON report was copied to the clipboard.
 * @fires kyso-error - A comparison failed; `detail` is `{code, message, cause}`.
 *
 * @attr lang - `vi` (default) or `en`; inherited from ancestors and the document when absent.
 *
 * @csspart header - Title and the copy button.
 * @csspart copy-button - "Copy the report (JSON)".
 * @csspart list - The list of signatures.
 * @csspart signature - One signature (also has the class `state-<state>`).
 * @csspart facts - A signature's facts (a description list).
 * @csspart action - A signature's buttons.
 * @csspart viewer - The `<pdf-page-view>` that shows a signed version or the changes.
 * @csspart viewer-status - What the viewer shows.
 *
 * @cssprop --kyso-font - Font family.
 * @cssprop --kyso-border - Border colour.
 * @cssprop --kyso-radius - Corner radius.
 * @cssprop --kyso-accent - Focus ring colour.
 * @cssprop --kyso-changed-color - Outline colour of changed regions.
 */
export class SignaturePanel extends KysoElement {
  static override styles = panelStyles;

  /** The verification report to show. */
  @property({ attribute: false }) report: VerificationReport | undefined;

  /** The PDF the report was made from (needed for the signed versions and the comparison). */
  @property({ attribute: false }) data: Uint8Array | undefined;

  @state() private viewer: Viewer = { mode: 'none' };
  @state() private copy: Copy = 'idle';

  #lengths: (number | null)[] | undefined;
  #controller: AbortController | undefined;

  /** The length of the revision each signature covers (null where it cannot be located), in report order. */
  get signedLengths(): readonly (number | null)[] {
    const report = this.report;
    const data = this.data;
    if (!report || !data) return [];
    return (this.#lengths ??= report.signatures.map((sig) => signedLength(sig, data.length)));
  }

  /** Shows the revision signature `index` covers. */
  showSignedVersion(index: number): void {
    const length = this.signedLengths[index];
    if (length == null || !this.data) return;
    this.#controller?.abort();
    this.viewer = { mode: 'signed', index, bytes: this.data.subarray(0, length) };
  }

  /** Compares the revision signature `index` covers with the current document and outlines what differs. */
  async showChanges(index: number): Promise<ChangedRegions | undefined> {
    const length = this.signedLengths[index];
    const data = this.data;
    if (length == null || !data) return undefined;
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    const t = PANEL_STRINGS[this.uiLang];
    this.viewer = { mode: 'comparing', index, page: 0, pages: 0 };
    try {
      const result = await changedRegions(data.subarray(0, length), data, {
        signal: controller.signal,
        labels: { changed: t.changedRegion, added: t.addedPage },
        onProgress: (page, pages) => {
          if (!controller.signal.aborted) this.viewer = { mode: 'comparing', index, page, pages };
        },
      });
      if (controller.signal.aborted) return undefined;
      this.viewer = { mode: 'changes', index, result };
      this.emit('kyso-changes', { signature: index, ...result });
      return result;
    } catch (error) {
      if (controller.signal.aborted) return undefined;
      this.viewer = { mode: 'failed', index, error: this.reportError(error) };
      return undefined;
    }
  }

  /** Copies the JSON report to the clipboard; when the page may not, shows it for manual copying. */
  async copyReport(): Promise<void> {
    if (!this.report) return;
    try {
      await navigator.clipboard.writeText(reportJson(this.report));
      this.copy = 'copied';
      this.emit('kyso-report-copied', null);
    } catch {
      this.copy = 'failed';
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#controller?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('report') || changed.has('data')) {
      this.#lengths = undefined;
      this.#controller?.abort();
      this.viewer = { mode: 'none' };
      this.copy = 'idle';
    }
  }

  protected override render(): TemplateResult | typeof nothing {
    const report = this.report;
    if (!report) return nothing;
    const lang = this.uiLang;
    const t = PANEL_STRINGS[lang];
    return html`
      <header part="header">
        <h2>${t.title} (${report.signatures.length})</h2>
        <button part="copy-button" type="button" @click=${() => void this.copyReport()}>${t.copyJson}</button>
        <span role="status">${this.copy === 'copied' ? t.copied : this.copy === 'failed' ? t.copyFailed : ''}</span>
      </header>
      ${this.copy === 'failed' ? html`<textarea readonly aria-label=${t.jsonLabel} .value=${reportJson(report)}></textarea>` : nothing}
      <ol part="list" class="signatures">${report.signatures.map((s, i) => this.#renderSignature(s, i, report, lang))}</ol>
      ${this.#renderViewer(report, lang)}
    `;
  }

  #name(s: SignatureReport, index: number, report: VerificationReport, lang: Lang): string {
    const t = PANEL_STRINGS[lang];
    const n = report.signatures.slice(0, index + 1).filter((o) => o.kind === s.kind).length;
    return format(s.kind === 'signature' ? t.signature : t.documentTimestamp, { n });
  }

  #renderSignature(s: SignatureReport, index: number, report: VerificationReport, lang: Lang): TemplateResult {
    const t = PANEL_STRINGS[lang];
    const st = signatureState(s);
    const name = this.#name(s, index, report, lang);
    const length = this.signedLengths[index] ?? null;
    const time = (iso: string | null) => (iso ? formatSigningTime(new Date(iso), lang) : t.none);
    const coverage = s.coverage !== 'whole-revision' ? t[`coverage.${s.coverage}`] : s.coversWholeFile ? t['coverage.whole-file'] : t['coverage.revision'];
    const viewer = this.viewer;
    const showing = (mode: Viewer['mode']) => viewer.mode !== 'none' && 'index' in viewer && viewer.index === index && (viewer.mode === mode || (mode === 'changes' && viewer.mode === 'comparing'));
    return html`<li part="signature" class="signature state-${st}" data-state=${st}>
      <h3>${name}: ${BADGE_STRINGS[lang][`state.${st}`]}</h3>
      <dl part="facts">
        ${s.kind === 'signature'
          ? html`<dt>${t.signer}</dt><dd>${s.signer.commonName ?? t.none}</dd>
              ${s.signer.organization ? html`<dt>${t.organization}</dt><dd>${s.signer.organization}</dd>` : nothing}
              ${s.signer.uid.length ? html`<dt>${t.identifiers}</dt><dd>${s.signer.uid.join(', ')}</dd>` : nothing}
              ${s.signer.issuer ? html`<dt>${t.issuer}</dt><dd>${s.signer.issuer}</dd>` : nothing}
              <dt>${t.claimedTime}</dt><dd>${time(s.signingTime.claimed)}</dd>`
          : nothing}
        <dt>${t.timestampTime}</dt><dd>${time(s.signingTime.timestamp)}</dd>
        <dt>${t.level}</dt><dd>${s.level}</dd>
        <dt>${t.indication}</dt><dd>${s.indication}${s.subIndication ? ` / ${s.subIndication}` : ''}</dd>
        <dt>${t.chain}</dt><dd>${s.chain.path.length ? html`<ol>${s.chain.path.map((c) => html`<li>${c}</li>`)}</ol>` : t.none}
          ${s.chain.anchor ? html`${t.anchor}: ${s.chain.anchor}` : nothing}</dd>
        <dt>${t.revocation}</dt><dd>${t[`revocation.${s.revocation.status}`]}${s.revocation.source.length ? ` (${t.revocationSources}: ${s.revocation.source.join(', ')})` : ''}</dd>
        <dt>${t.coverage}</dt><dd>${coverage}</dd>
        <dt>${t.checks}</dt><dd>${t[`integrity.${s.integrity}`]}; ${t[`crypto.${String(s.cryptoValid) as 'true' | 'false' | 'null'}`]}</dd>
        <dt>${t.changes}</dt><dd>${s.modifications.changes.length
          ? html`<ul>${s.modifications.changes.map((c) => html`<li>${c.label[lang]} (${c.allowed ? t.allowed : t.disallowed})</li>`)}</ul>`
          : t['changes.none']}</dd>
        ${s.messages.length ? html`<dt>${t.notes}</dt><dd><ul>${s.messages.map((m) => html`<li>${m[lang]}</li>`)}</ul></dd>` : nothing}
      </dl>
      <div class="actions" role="group" aria-label=${format(t.actions, { name })}>
        <button part="action" type="button" data-action="view-signed" ?disabled=${length === null} aria-pressed=${showing('signed') ? 'true' : 'false'}
          @click=${() => this.showSignedVersion(index)}>${t.viewSigned}</button>
        <button part="action" type="button" data-action="what-changed" ?disabled=${length === null || s.coversWholeFile}
          aria-pressed=${showing('changes') ? 'true' : 'false'} @click=${() => void this.showChanges(index)}>${t.whatChanged}</button>
      </div>
      ${length === null ? html`<p>${t.unavailable}</p>` : nothing}
    </li>`;
  }

  #renderViewer(report: VerificationReport, lang: Lang): TemplateResult | typeof nothing {
    const t = PANEL_STRINGS[lang];
    const v = this.viewer;
    if (v.mode === 'none') return nothing;
    const s = report.signatures[v.index]!;
    const who = s.signer.commonName ?? this.#name(s, v.index, report, lang);
    let status: string;
    let data: Uint8Array | undefined;
    let overlays: readonly PageOverlay[] = [];
    switch (v.mode) {
      case 'signed':
        status = format(t.viewerSigned, { name: who, length: v.bytes.length });
        data = v.bytes;
        break;
      case 'comparing':
        status = v.pages ? format(t.comparing, { page: v.page, pages: v.pages }) : format(t.comparing, { page: 1, pages: '…' });
        break;
      case 'changes':
        status = v.result.regions.length ? format(t.viewerChanges, { name: who, count: v.result.regions.length }) : format(t.viewerNoChanges, { name: who });
        if (v.result.removedPages.length) status += ' ' + format(t.removedPages, { pages: v.result.removedPages.join(', ') });
        data = this.data;
        overlays = v.result.regions;
        break;
      case 'failed':
        status = `${t.compareFailed}: ${v.error.message} (${v.error.code})`;
        break;
    }
    return html`<section aria-label=${t.viewerLabel}>
      <p part="viewer-status" class="viewer-status" role="status">${status}</p>
      ${data ? html`<pdf-page-view part="viewer" lang=${lang} .data=${data} .overlays=${overlays}></pdf-page-view>` : nothing}
    </section>`;
  }
}

/** The report as the JSON schema describes it (docs/report.schema.json), indented for people. */
function reportJson(report: VerificationReport): string {
  return JSON.stringify(report, null, 2);
}
