import type { HashAlgorithm } from '@kyso/core';
import type { CscFetch } from './http.js';

/**
 * How the adapter obtains its service access token (CSC API v2.0.0.2 §8).
 *
 * In a web page prefer `token`: the relying service's backend runs the
 * OAuth 2.0 flow and hands the page a short-lived access token, so no client
 * secret or password ever reaches the browser.
 */
export type CscAuth =
  /** A ready access token, or a function that returns a fresh one (called again after a 401). */
  | { readonly type: 'token'; readonly accessToken: string | ((signal?: AbortSignal) => Promise<string>) }
  /** `auth/login` with HTTP Basic (CSC §11.2, RFC 7617). */
  | { readonly type: 'basic'; readonly username: string; readonly password: string }
  /** OAuth 2.0 client credentials grant (RFC 6749 §4.4, CSC §8.4.4): the relying service itself. */
  | {
    readonly type: 'client_credentials';
    readonly clientId: string;
    readonly clientSecret: string;
    /** Default: `<info.oauth2>/oauth2/token`, or `<baseUrl>/oauth2/token`. */
    readonly tokenUrl?: string;
    readonly scope?: string;
  }
  /** OAuth 2.0 authorization code grant (RFC 6749 §4.1, PKCE RFC 7636): exchanges a code once. */
  | {
    readonly type: 'authorization_code';
    readonly clientId: string;
    readonly clientSecret?: string;
    readonly code: string;
    readonly redirectUri: string;
    readonly codeVerifier?: string;
    readonly tokenUrl?: string;
  };

/** An authentication object a credential asks for in `explicit` mode (CSC §11.5 `auth/objects`). */
export interface CscAuthObject {
  readonly type: string;
  readonly id: string;
  readonly format?: string;
  readonly label?: string;
  readonly description?: string;
  readonly generator?: string;
}

/** What the `authData` callback is asked to collect from the user. */
export interface CscAuthDataRequest {
  readonly credentialID: string;
  readonly objects: readonly CscAuthObject[];
  /** Ids of the objects whose one-time code the service has just sent out of band (SMS, app). */
  readonly sent: readonly string[];
  readonly numSignatures: number;
}

/** A credential as `credentials/info` describes it (CSC API v2.0.0.2 §11.5), normalised. */
export interface CscCredential {
  readonly credentialID: string;
  readonly description?: string;
  readonly keyStatus: 'enabled' | 'disabled';
  /** OIDs of the signature algorithms the key can do (`key/algo`). */
  readonly keyAlgos: readonly string[];
  readonly keyLength: number;
  /** Signer certificate first, then its issuers (`cert/certificates`, DER). */
  readonly certificates: readonly Uint8Array[];
  /**
   * `implicit`: the service asks the user itself (e.g. a phone confirmation),
   * `explicit`: the caller passes authentication data (OTP),
   * `oauth2code`: a credential-scoped OAuth token stands for the SAD.
   */
  readonly authMode: 'implicit' | 'explicit' | 'oauth2code';
  readonly authObjects: readonly CscAuthObject[];
  /** Sole Control Assurance Level (CEN EN 419 241-1): with `2` the SAD binds the hashes. */
  readonly scal: '1' | '2';
  /** Most signatures one authorisation may cover. */
  readonly multisign: number;
}

/**
 * A Signature Activation Data granted for some hashes: plain JSON-safe data.
 * The SAD is a secret that lets its holder sign those hashes until it
 * expires; keep it where the prepared signature is kept, and not longer.
 */
export interface CscAuthorization {
  readonly kind: 'kyso.csc-authorization';
  readonly version: 1;
  readonly credentialID: string;
  readonly SAD: string;
  /** ISO 8601; from `expiresIn` (default 3600 s, CSC §11.6). */
  readonly expiresAt: string;
  readonly numSignatures: number;
  readonly hash: HashAlgorithm;
  /** Base64 hashes the SAD was requested for. */
  readonly hashes: readonly string[];
}

/**
 * An authorisation the user has not confirmed yet (HTTP 202 with a `handle`,
 * CSC §11.6–11.7). Plain JSON-safe data: store it next to the prepared
 * signature, reload the page, and resume with `awaitAuthorization`.
 */
export interface CscPendingAuthorization {
  readonly kind: 'kyso.csc-pending-authorization';
  readonly version: 1;
  readonly credentialID: string;
  readonly handle: string;
  readonly numSignatures: number;
  readonly hash: HashAlgorithm;
  readonly hashes: readonly string[];
  /** ISO 8601 time the request was made. */
  readonly startedAt: string;
}

/** Waiting for the user's confirmation. */
export interface CscConfirmationOptions {
  /** Give up with `ERR_CSC_AUTH_TIMEOUT` after this long; default 180 000 ms. */
  readonly timeoutMs?: number;
  /** Time between `credentials/authorizeCheck` calls; default 2 000 ms. */
  readonly pollIntervalMs?: number;
  /** Told when the service answers "pending", e.g. to show "confirm on your phone". */
  readonly onPending?: (pending: CscPendingAuthorization) => void;
}

/** Options of {@link CscAdapter}. */
export interface CscAdapterOptions {
  /** The service's base URI, ending in `/csc/v2` (CSC §10: methods are appended to it). */
  readonly baseUrl: string;
  readonly auth: CscAuth;
  /** The user whose credentials to list, for service-level tokens (client credentials). */
  readonly userID?: string;
  /** Only offer these credentials. */
  readonly credentialIDs?: readonly string[];
  /** Default `globalThis.fetch`. */
  readonly fetch?: CscFetch;
  /** Time-out of one HTTP request; default 30 000 ms (`ERR_CSC_TIMEOUT`). */
  readonly requestTimeoutMs?: number;
  readonly confirmation?: CscConfirmationOptions;
  /**
   * `explicit` credentials: asks the user for the authentication data (an
   * OTP). Called after the service was asked to send the code. Never pass a
   * token PIN through a web page: let the service or agent ask for it.
   */
  readonly authData?: (request: CscAuthDataRequest) => Promise<readonly { readonly id: string; readonly value: string }[]>;
  /** `oauth2code` credentials: returns an access token with scope `credential` for these hashes (CSC §8.4.2). */
  readonly credentialToken?: (request: { credentialID: string; numSignatures: number; hashes: readonly string[]; hashAlgorithmOID: string }) => Promise<string>;
  /** Shown to the user on the confirming device (at most 500 characters, CSC §11.6). */
  readonly description?: string;
  /** Preferred language of the service's texts (RFC 5646), e.g. `vi-VN`. */
  readonly lang?: string;
}
