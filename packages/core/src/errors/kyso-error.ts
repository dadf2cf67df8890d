import type { ErrorCode } from './codes.js';
import { ERROR_MESSAGES, type Lang, type LocalizedText } from './messages.js';

/** Options for {@link KysoError}. */
export interface KysoErrorOptions {
  /** A technical detail for logs and developers (English); never a PIN or document content. */
  readonly detail?: string;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

/**
 * Every failure kyso lets a caller see. `code` is stable; `message` is the
 * English text plus the detail; `text` carries both languages for a UI.
 */
export class KysoError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  readonly text: LocalizedText;

  constructor(code: ErrorCode, options: KysoErrorOptions = {}) {
    const text = ERROR_MESSAGES[code];
    super(options.detail ? `${text.en} (${options.detail})` : text.en, { cause: options.cause });
    this.code = code;
    this.detail = options.detail;
    this.text = text;
    this.name = new.target.name;
  }

  /** The user-facing message in the given language, without the technical detail. */
  localized(lang: Lang): string {
    return this.text[lang];
  }
}
