import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gatherFacts, judge } from '@kyso/core';
import { corpusDir } from '../helpers/corpus.js';

/**
 * The whole verifier over the shared corpus (issue 4 §5): 64 PDFs signed by other tools, each with the verdict
 * its manifest row gives. Two halves:
 *
 * 1. KYSO pins, per file and per signature, what kyso reports: a regression corpus, asserted exactly.
 * 2. The manifest is read column by column (`intact`, `crypto_valid`, `modifications_after_signing`, the first
 *    word and, where given, the sub-indication of `expected_indication`, and the vn-gov run the README describes)
 *    and compared with KYSO. Every disagreement must be one of ARGUED, each argued in
 *    docs/decisions/0005-verification-corpus-agreement.md.
 *
 * Each file is verified as the README says: the manifest row's `trust_anchor` files from corpus/trust/ ("none
 * supplied": no trust at all), embedded revocation data only, at a validation time in late 2026; the vn- files also
 * with the `vn-gov` profile. `verify` is `judge(gatherFacts(…))`; both are called so the test can also read the
 * digest fact behind the `crypto_valid` column.
 */

const AT = new Date('2026-11-01T00:00:00Z');

interface Row {
  readonly file: string;
  readonly trust_anchor: string;
  readonly intact: string;
  readonly crypto_valid: string;
  readonly modifications_after_signing: string;
  readonly expected_indication: string;
  readonly notes: string;
}

type Mods = 'none' | 'allowed' | 'disallowed';

// ---------------------------------------------------------------------------------------------------------------
// 1. What kyso reports. One string per signature or document timestamp, in file order:
//    `<intact> <crypto> <INDICATION[/SUB]> <modifications>` where
//    intact = yes when the digest of the covered bytes matches and the ranges cover a whole revision (report
//             `integrity` intact and `coverage` whole-revision), else no;
//    crypto = the cryptographic verification of ETSI EN 319 102-1 §5.2.7: valid when the digest matches and the
//             signature value verifies, invalid when either fails, unknown when either could not be checked.
// ---------------------------------------------------------------------------------------------------------------

const NOCHAIN = 'INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND';
const EXPIRED = 'INDETERMINATE/OUT_OF_BOUNDS_NO_POE';
const WEAK = 'INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE_NO_POE';
const OFFLINE = 'INDETERMINATE/TRY_LATER';
const MODIFIED = 'TOTAL_FAILED/FORMAT_FAILURE'; // a disallowed change over intact signed bytes (decision 0017)
const FORMAT = 'TOTAL_FAILED/FORMAT_FAILURE';
/** An intact, cryptographically valid signature judged `indication`, with `mods` after it. */
const ok = (indication: string, mods: Mods = 'none') => `yes valid ${indication} ${mods}`;
const times = <T>(n: number, v: T): T[] => Array.from({ length: n }, () => v);

interface Kyso {
  /** With the manifest's trust anchor. */
  readonly anchor: readonly string[];
  /** vn- files: with the vn-gov profile. */
  readonly vnGov?: readonly string[];
}

const KYSO: Record<string, Kyso> = {
  'dss-01': { anchor: [ok(NOCHAIN, 'allowed'), ok(NOCHAIN)] },
  'dss-02': { anchor: [...times(3, ok(NOCHAIN, 'allowed')), ok(NOCHAIN)] },
  'dss-03': { anchor: [ok(NOCHAIN)] },
  'dss-04': { anchor: [ok(NOCHAIN)] },
  'dss-05': { anchor: [ok(WEAK)] }, // SHA-1 digest
  'dss-06': { anchor: times(4, ok(NOCHAIN, 'allowed')) },
  'dss-07': { anchor: [ok(NOCHAIN, 'allowed'), ok(NOCHAIN, 'allowed'), ok(NOCHAIN)] },
  'dss-08': { anchor: [ok(NOCHAIN)] },
  'dss-09': { anchor: [ok(NOCHAIN)] },
  'dss-10': { anchor: [ok(MODIFIED, 'disallowed'), ok(NOCHAIN, 'allowed'), ok(NOCHAIN)] }, // annotation + visible change under DocMDP
  'dss-11': { anchor: [ok(MODIFIED, 'disallowed')] },
  'dss-12': { anchor: [ok(MODIFIED, 'disallowed')] },
  'dss-13': { anchor: [ok(WEAK, 'allowed'), `no invalid ${FORMAT} disallowed`] }, // RSA-1024; S2 reuses S1's ByteRange
  'dss-14': { anchor: [`no valid ${FORMAT} disallowed`] },
  'dss-15': { anchor: [`no valid ${FORMAT} none`] }, // gap-not-contents (signature wrapping)
  'dss-16': { anchor: [ok(NOCHAIN, 'allowed'), `no invalid ${FORMAT} none`] },
  'dss-17': { anchor: [`no unknown ${FORMAT} none`] }, // ranges beyond the end of the file
  'dss-18': { anchor: [ok(MODIFIED, 'disallowed')] },
  'dss-19': { anchor: [ok(MODIFIED, 'disallowed')] },
  'dss-20': { anchor: [ok(NOCHAIN)] },
  'dss-21': { anchor: [ok(NOCHAIN)] },
  'dss-22': { anchor: ['yes unknown INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND none'] },
  'dss-23': { anchor: [`yes unknown ${WEAK} none`] }, // SHA3-256: no WebCrypto
  'dss-24': { anchor: [ok(WEAK)] }, // SHA-1
  'dss-25': { anchor: [`yes unknown ${WEAK} none`] }, // brainpoolP256r1: no WebCrypto
  'dss-26': { anchor: times(25, ok(NOCHAIN, 'allowed')) }, // the last signature is followed by a /DSS update
  'dss-27': { anchor: ['no invalid TOTAL_FAILED/HASH_FAILURE none'] },
  'dss-28': { anchor: [`no unknown ${FORMAT} none`] }, // /Contents all zeros
  'node-signpdf-01': { anchor: [ok(NOCHAIN, 'allowed'), ok(NOCHAIN)] },
  'node-signpdf-02': { anchor: [ok(NOCHAIN)] },
  'pdfjs-01': { anchor: [`no valid ${FORMAT} none`] }, // the gap leaves the < > delimiters in the signed bytes
  'pdfjs-02': { anchor: [ok(NOCHAIN)] },
  'pdfjs-03': { anchor: [] }, // UR3 usage-rights signature only: no document signature
  'pdfjs-04': { anchor: [] },
  'pyhanko-01': { anchor: [`no valid ${FORMAT} allowed`] }, // partial coverage
  'pyhanko-02': { anchor: [`no valid ${FORMAT} allowed`] },
  'pyhanko-03': { anchor: [`no valid ${FORMAT} allowed`] },
  'pyhanko-04': { anchor: [ok(MODIFIED, 'disallowed'), ok(EXPIRED)] },
  'pyhanko-05': { anchor: [ok(EXPIRED, 'allowed'), ok(EXPIRED)] },
  'pyhanko-06': { anchor: [ok(EXPIRED)] },
  'pyhanko-07': { anchor: [ok(EXPIRED, 'allowed'), ok(EXPIRED)] },
  // S, document timestamp, S. The newest timestamp that could lend its time (the document timestamp) cannot be
  // validated in 2026 (its TSA's revocation data ends in 2020), so no proof rests on it, and the second signature's
  // own timestamp has the same TSA: both signers (expired 2022) lack proof of existence (decision 0017).
  'pyhanko-08': { anchor: [ok(EXPIRED, 'allowed'), ok(OFFLINE, 'allowed'), ok(EXPIRED, 'allowed')] },
  'pyhanko-09': { anchor: [ok(EXPIRED)] },
  'pyhanko-10': { anchor: [ok(EXPIRED, 'allowed'), `yes unknown ${WEAK} none`] }, // Ed25519: not in kyso's WebCrypto set
  'rub-01': { anchor: [ok(NOCHAIN)] },
  'rub-02': { anchor: [ok(MODIFIED, 'disallowed')] },
  'rub-03': { anchor: [ok(MODIFIED, 'disallowed')] },
  'rub-04': { anchor: [ok(MODIFIED, 'disallowed')] },
  'rub-05': { anchor: [ok(MODIFIED, 'disallowed')] }, // startxref one byte off: read with the pdf layer's section slack
  'rub-06': { anchor: [ok(MODIFIED, 'disallowed')] },
  'rub-07': { anchor: [ok(WEAK, 'allowed'), ok(WEAK)] }, // SHA-1
  'rub-08': { anchor: [ok(MODIFIED, 'disallowed'), `no unknown ${FORMAT} none`] }, // attacker's dictionary: no /ByteRange, no /Contents
  'rub-09': { anchor: [ok(MODIFIED, 'disallowed'), `no unknown ${FORMAT} none`] },
  'rub-10': { anchor: [ok(NOCHAIN)] },
  'rub-11': { anchor: ['no invalid TOTAL_FAILED/HASH_FAILURE none'] },
  'vn-01': { anchor: [...times(5, ok(NOCHAIN, 'allowed')), ok(NOCHAIN)], vnGov: [...times(5, ok(OFFLINE, 'allowed')), ok(OFFLINE)] },
  'vn-02': { anchor: [ok(NOCHAIN)], vnGov: [ok(OFFLINE)] },
  'vn-03': { anchor: [ok(NOCHAIN)], vnGov: [ok(OFFLINE)] },
  'vn-04': { anchor: [ok(NOCHAIN)], vnGov: [ok(OFFLINE)] },
  'vn-05': { anchor: [ok(NOCHAIN, 'allowed'), ok(NOCHAIN)], vnGov: [ok(OFFLINE, 'allowed'), ok(OFFLINE)] },
  'vn-06': { anchor: [ok(NOCHAIN, 'allowed'), ok(NOCHAIN, 'allowed'), ok(NOCHAIN)], vnGov: [ok(OFFLINE, 'allowed'), ok(OFFLINE, 'allowed'), ok(OFFLINE)] },
  'vn-07': { anchor: [ok(WEAK, 'allowed'), ok(WEAK)], vnGov: [ok(WEAK, 'allowed'), ok(WEAK)] }, // SHA-1 CAdES seals
  'vn-08': { anchor: [ok(NOCHAIN)], vnGov: [ok(OFFLINE)] },
  'vn-09': {
    // Signature 2 (SignService) does not verify; the others carry SHA-1, refused by the default policy before the chain is looked at.
    anchor: [ok(WEAK, 'allowed'), `yes invalid TOTAL_FAILED/SIG_CRYPTO_FAILURE allowed`, ...times(3, ok(WEAK, 'allowed')), ok(WEAK)],
    vnGov: [ok(WEAK, 'allowed'), `yes invalid TOTAL_FAILED/SIG_CRYPTO_FAILURE allowed`, ...times(3, ok(WEAK, 'allowed')), ok(WEAK)],
  },
};

// ---------------------------------------------------------------------------------------------------------------
// 2. Reading the manifest. Regular cells are read by rule: intact `yes…`/`no…`, crypto_valid `valid…`,
//    modifications `none|allowed|disallowed…` (`n/a`: not compared), expected_indication `WORD[/SUB]…`, each for
//    every signature of the file. Other wording gets a mapping below, which quotes the cell it reads.
//    Values: intact yes|no; crypto valid|invalid|unknown, or `!valid` (anything but valid); indication
//    WORD[/SUB[|SUB…]] (alternatives the row allows); null: the row says nothing about that signature.
// ---------------------------------------------------------------------------------------------------------------

type Column = 'intact' | 'crypto_valid' | 'modifications_after_signing' | 'expected_indication' | 'vn-gov';

interface Mapping {
  /** Words of the manifest cell (or, for vn-gov, of the row's notes or the corpus README) this mapping reads. */
  readonly quote: string;
  /** One value per signature, or null when the column is not compared for this file. */
  readonly value: readonly (string | null)[] | string | null;
}

/** "document MODIFIED (disallowed)": kyso's judgement of a disallowed change is TOTAL_FAILED (policy.ts step 4). */
const MODIFIED_READS = 'TOTAL_FAILED';
const VN_GOV_README = 'with the intermediates (what a `vn-gov` trust profile ships) the chain is trusted\nand the result rests on revocation data and the crypto policy';

const MAPPINGS: Record<string, Partial<Record<Column, Mapping>>> = {
  'dss-10': { expected_indication: { quote: 'S1: TOTAL_FAILED (DocMDP violation) or at least flagged; S2/S3: INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND', value: ['TOTAL_FAILED', NOCHAIN, NOCHAIN] } },
  'dss-11': { expected_indication: { quote: 'document must be reported as modified after signing (not a plain pass)', value: [MODIFIED_READS] } },
  'dss-12': { expected_indication: { quote: 'signature valid for its revision; document MODIFIED (disallowed)', value: [MODIFIED_READS] } },
  'dss-13': {
    intact: { quote: 'no (signature 2)', value: ['yes', 'no'] },
    crypto_valid: { quote: 'S1 valid; S2 HASH mismatch', value: ['valid', 'invalid'] },
    expected_indication: { quote: 'S1: INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND; S2: TOTAL_FAILED/HASH_FAILURE', value: [NOCHAIN, 'TOTAL_FAILED/HASH_FAILURE'] },
  },
  'dss-14': {
    intact: { quote: 'unclear', value: null },
    crypto_valid: { quote: 'not established', value: null },
    expected_indication: { quote: 'must not be TOTAL_PASSED; a FORMAT_FAILURE or typed error is acceptable', value: [FORMAT] },
  },
  'dss-16': {
    intact: { quote: 'no (signature 2)', value: ['yes', 'no'] },
    crypto_valid: { quote: 'S1 valid; S2 digest mismatch', value: ['valid', 'invalid'] },
    expected_indication: { quote: 'S2: TOTAL_FAILED/HASH_FAILURE or FORMAT_FAILURE; S1: INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND', value: [NOCHAIN, 'TOTAL_FAILED/HASH_FAILURE|FORMAT_FAILURE'] },
  },
  'dss-17': { crypto_valid: { quote: 'cannot be computed', value: ['unknown'] } },
  'dss-18': { expected_indication: { quote: 'signature valid for its revision; document MODIFIED (disallowed)', value: [MODIFIED_READS] } },
  'dss-19': { expected_indication: { quote: 'signature valid for its revision, but the displayed reason is not the signed one: MODIFIED (disallowed)', value: [MODIFIED_READS] } },
  'dss-22': { crypto_valid: { quote: 'not checkable without the certificate', value: ['unknown'] } },
  'dss-24': {
    crypto_valid: { quote: 'not established (non-DER CMS)', value: null },
    expected_indication: { quote: 'INDETERMINATE (FORMAT_FAILURE or CRYPTO_CONSTRAINTS_FAILURE_NO_POE)', value: ['INDETERMINATE/FORMAT_FAILURE|CRYPTO_CONSTRAINTS_FAILURE_NO_POE'] },
  },
  'dss-25': { expected_indication: { quote: 'INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND (or a clear "unsupported algorithm" INDETERMINATE)', value: ['INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND|CRYPTO_CONSTRAINTS_FAILURE_NO_POE'] } },
  'dss-27': { crypto_valid: { quote: 'HASH mismatch', value: ['invalid'] } },
  'dss-28': {
    intact: { quote: 'n/a', value: null },
    crypto_valid: { quote: 'no signature value', value: ['unknown'] },
  },
  'pdfjs-03': {
    // `yes` is about the UR3 signature's bytes; with no document signature there is nothing to compare.
    intact: { quote: 'yes', value: null },
    crypto_valid: { quote: 'n/a for document signing', value: null },
    expected_indication: { quote: 'report "no document signature"', value: [] },
  },
  'pdfjs-04': {
    intact: { quote: 'yes', value: null },
    crypto_valid: { quote: 'n/a for document signing', value: null },
    expected_indication: { quote: 'report "no document signature"', value: [] },
  },
  'pyhanko-04': { expected_indication: { quote: 'S1: TOTAL_FAILED or MODIFIED (disallowed change); certificates expired: INDETERMINATE/OUT_OF_BOUNDS_NO_POE otherwise', value: ['TOTAL_FAILED', EXPIRED] } },
  // The row's second branch: the embedded revocation data of the TSA is stale by the validation time, so it does not
  // decide the TSA's status now; the signatures read OUT_OF_BOUNDS_NO_POE, the document timestamp INDETERMINATE.
  'pyhanko-08': {
    expected_indication: {
      quote: 'TOTAL_PASSED under LTA validation if the embedded revocation data is accepted; otherwise INDETERMINATE/OUT_OF_BOUNDS_NO_POE',
      value: [EXPIRED, 'INDETERMINATE', EXPIRED],
    },
  },
  'rub-02': { expected_indication: { quote: 'signature valid for its revision; document MODIFIED (disallowed)', value: [MODIFIED_READS] } },
  'rub-03': { expected_indication: { quote: 'document MODIFIED (disallowed)', value: [MODIFIED_READS] } },
  'rub-04': { expected_indication: { quote: 'document MODIFIED (disallowed)', value: [MODIFIED_READS] } },
  'rub-05': { expected_indication: { quote: 'document MODIFIED (disallowed)', value: [MODIFIED_READS] } },
  'rub-06': { expected_indication: { quote: 'document MODIFIED (disallowed)', value: [MODIFIED_READS] } },
  'rub-08': {
    intact: { quote: 'yes (signed revision)', value: ['yes', null] }, // the attacker's dictionary signs no revision
    crypto_valid: { quote: 'S1 valid; the signature object added by the attacker does not verify (openssl)', value: ['valid', '!valid'] },
    expected_indication: { quote: 'S1: TOTAL_FAILED (DocMDP violation) or MODIFIED (disallowed)', value: ['TOTAL_FAILED', null] },
  },
  'rub-09': {
    intact: { quote: 'yes (signed revisions)', value: ['yes', null] },
    crypto_valid: { quote: 'S1 valid; later signature objects do not verify (openssl)', value: ['valid', '!valid'] },
    expected_indication: { quote: 'S1: TOTAL_FAILED (DocMDP violation) or MODIFIED (disallowed)', value: ['TOTAL_FAILED', null] },
  },
  'rub-11': { crypto_valid: { quote: 'HASH mismatch', value: ['invalid'] } },
  'vn-01': {
    expected_indication: { quote: 'INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND unless the VGCA intermediate', value: NOCHAIN },
    'vn-gov': { quote: 'is supplied (then TOTAL_PASSED)', value: 'TOTAL_PASSED' },
  },
  'vn-07': {
    expected_indication: { quote: 'INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE_NO_POE under a SHA-1-rejecting policy', value: WEAK },
    'vn-gov': { quote: 'INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE_NO_POE under a SHA-1-rejecting policy', value: WEAK },
  },
  'vn-09': {
    intact: { quote: 'S2 broken', value: ['yes', 'no', 'yes', 'yes', 'yes', 'yes'] },
    crypto_valid: { quote: 'S2 invalid (pdfsig, pyHanko and openssl agree); others valid', value: ['valid', 'invalid', 'valid', 'valid', 'valid', 'valid'] },
    expected_indication: {
      quote: 'S2: TOTAL_FAILED/SIG_CRYPTO_FAILURE or HASH_FAILURE; others: INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND (SHA-1 ones may get CRYPTO_CONSTRAINTS_FAILURE_NO_POE)',
      value: [`${NOCHAIN}|CRYPTO_CONSTRAINTS_FAILURE_NO_POE`, 'TOTAL_FAILED/SIG_CRYPTO_FAILURE|HASH_FAILURE', ...times(4, `${NOCHAIN}|CRYPTO_CONSTRAINTS_FAILURE_NO_POE`)],
    },
    'vn-gov': {
      quote: 'the overall result then rests on revocation data (INDETERMINATE with revocation unknown when none is embedded and the check is offline)',
      value: [`${OFFLINE}|CRYPTO_CONSTRAINTS_FAILURE_NO_POE`, 'TOTAL_FAILED/SIG_CRYPTO_FAILURE|HASH_FAILURE', ...times(4, `${OFFLINE}|CRYPTO_CONSTRAINTS_FAILURE_NO_POE`)],
    },
  },
};

/**
 * The disagreements that remain, each argued in docs/decisions/0005-verification-corpus-agreement.md (section in
 * brackets). Written `<file> <column>[#signatures]: manifest <value>, kyso <value>`.
 */
const ARGUED = [
  // [1] RSA-1024 is refused by the algorithm policy before the chain is looked at (ETSI TS 119 312).
  'dss-13 sub-indication#0: manifest NO_CERTIFICATE_CHAIN_FOUND, kyso CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
  // [2] Signature 2's ByteRange does not leave out its own /Contents: a format failure, found before any hashing.
  'dss-13 sub-indication#1: manifest HASH_FAILURE, kyso FORMAT_FAILURE',
  // [3] Signature wrapping leaves no later revision to analyse: the ByteRange check rejects the file instead.
  'dss-15 modifications: manifest disallowed, kyso none',
  // [4] SHA3-256 with RSA: WebCrypto has no SHA3, so the value stays unknown, never valid.
  'dss-23 crypto_valid#0: manifest valid, kyso unknown',
  'dss-23 sub-indication#0: manifest NO_CERTIFICATE_CHAIN_FOUND, kyso CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
  // [5] Plain ECDSA on brainpoolP256r1: WebCrypto has no Brainpool curves.
  'dss-25 crypto_valid#0: manifest valid, kyso unknown',
  // [6] The ByteRange gap is the hex digits only; ISO 32000-2 §12.8.1 makes it the whole string with its delimiters.
  'pdfjs-01 intact#0: manifest yes, kyso no',
  'pdfjs-01 indication#0: manifest INDETERMINATE, kyso TOTAL_FAILED',
  // [8] Ed25519 is outside kyso's WebCrypto algorithm set: unknown, not corrupt.
  'pyhanko-10 crypto_valid#1: manifest valid, kyso unknown',
  'pyhanko-10 sub-indication#1: manifest OUT_OF_BOUNDS_NO_POE, kyso CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
  // [9] Trusted chain but no revocation data offline: INDETERMINATE/TRY_LATER, as the row's own notes say.
  'vn-01 vn-gov#0,1,2,3,4,5: manifest TOTAL_PASSED, kyso INDETERMINATE/TRY_LATER',
  // [10] Signature 2's message digest matches the covered bytes; only its signature value fails.
  'vn-09 intact#1: manifest no, kyso yes',
];

/** Files agreeing / files compared, per column. */
const AGREEMENT = {
  intact: '58/60',
  crypto_valid: '57/60',
  modifications_after_signing: '51/52',
  indication: '63/64',
  'sub-indication': '42/45',
  'vn-gov': '8/9',
};

// ---------------------------------------------------------------------------------------------------------------

const manifest = JSON.parse(readFileSync(join(corpusDir(), 'manifest.json'), 'utf8')) as { files: Row[] };
const readme = readFileSync(join(corpusDir(), 'README.md'), 'utf8');
const short = (file: string) => /^pdfs\/((?:node-signpdf|[a-z]+)-\d\d)-/.exec(file)![1]!;

interface Run {
  readonly anchor: string[];
  readonly vnGov: string[] | null;
}

async function run(row: Row, bytes: Uint8Array, trust: readonly string[]): Promise<string[]> {
  const facts = await gatherFacts(bytes, { trust, revocation: 'embedded', at: AT, file: row.file });
  const report = judge(facts, undefined, row.file);
  return report.signatures.map((s, i) => {
    const cms = facts.signatures[i]!.cms;
    const intact = s.integrity === 'intact' && s.coverage === 'whole-revision' ? 'yes' : 'no';
    const crypto = cms.digestMatches === false || cms.signatureValid === false ? 'invalid' : cms.digestMatches && cms.signatureValid ? 'valid' : 'unknown';
    return `${intact} ${crypto} ${s.indication}${s.subIndication ? `/${s.subIndication}` : ''} ${s.modifications.verdict}`;
  });
}

function anchorsOf(row: Row): string[] {
  // "none supplied" names no file; pyhanko-01's row names the root "(does not apply: self-signed signer)": supplied all the same.
  return [...row.trust_anchor.matchAll(/trust\/([\w.-]+\.pem)/g)].map((m) => readFileSync(join(corpusDir(), 'trust', m[1]!), 'utf8'));
}

/** The manifest's expectation for one column, per signature (`count` of them), or null when not compared. */
function read(row: Row, column: Column, count: number): (string | null)[] | null {
  const mapping = MAPPINGS[short(row.file)]?.[column];
  if (mapping) {
    const cell = column === 'vn-gov' ? `${row.expected_indication} ${row.notes}` : row[column];
    expect(cell, `${row.file} ${column}: the mapping quotes the manifest`).toContain(mapping.quote);
    if (mapping.value === null) return null;
    return typeof mapping.value === 'string' ? times(count, mapping.value) : [...mapping.value];
  }
  const cell = column === 'vn-gov' ? '' : row[column];
  let value: string | null;
  switch (column) {
    case 'intact':
      value = /^(yes|no)\b/.exec(cell)?.[1] ?? 'unmapped';
      break;
    case 'crypto_valid':
      value = /^valid\b/.test(cell) ? 'valid' : 'unmapped';
      break;
    case 'modifications_after_signing':
      value = /^n\/a$/.test(cell) ? null : /^(none|allowed|disallowed)\b/.exec(cell)?.[1] ?? 'unmapped';
      break;
    case 'expected_indication':
      value = /^(TOTAL_PASSED|TOTAL_FAILED|INDETERMINATE)(\/[A-Z_]+)?/.exec(cell)?.[0] ?? 'unmapped';
      break;
    case 'vn-gov':
      // Corpus README: with the intermediates the chain is trusted and the result rests on revocation data, of
      // which the vn- files embed none; offline that is INDETERMINATE/TRY_LATER (the vn-01 and vn-09 notes).
      expect(readme.replace(/\s+/g, ' ')).toContain(VN_GOV_README.replace(/\s+/g, ' '));
      value = OFFLINE;
      break;
  }
  expect(value, `${row.file} ${column}: "${cell}" needs a mapping`).not.toBe('unmapped');
  return value === null ? null : column === 'modifications_after_signing' ? [value] : times(count, value);
}

const RANK: Record<Mods, number> = { none: 0, allowed: 1, disallowed: 2 };

/** Disagreements of one file with its manifest row, and which columns were compared and agreed. */
function compare(row: Row, kyso: Run): { disagreements: string[]; compared: Record<string, boolean> } {
  const name = short(row.file);
  const out = new Map<string, number[]>();
  const compared: Record<string, boolean> = {};
  const note = (column: string, i: number | null, manifestValue: string, kysoValue: string) => {
    const key = `${name} ${column}${i === null ? '' : '#%'}: manifest ${manifestValue}, kyso ${kysoValue}`;
    out.set(key, [...(out.get(key) ?? []), ...(i === null ? [] : [i])]);
    compared[column] = false;
  };
  const mark = (column: string) => {
    if (!(column in compared)) compared[column] = true;
  };
  const sigs = kyso.anchor.map((s) => s.split(' '));

  const perSignature = (column: 'intact' | 'crypto_valid', token: number) => {
    const expected = read(row, column, sigs.length);
    if (!expected) return;
    mark(column);
    if (expected.length !== sigs.length) return note(column, null, `${expected.length} signatures`, `${sigs.length}`);
    expected.forEach((e, i) => {
      const k = sigs[i]![token]!;
      if (e === null) return;
      if (e === '!valid' ? k === 'valid' : e !== k) note(column, i, e, k);
    });
  };
  perSignature('intact', 0);
  perSignature('crypto_valid', 1);

  const mods = read(row, 'modifications_after_signing', 1);
  if (mods) {
    mark('modifications');
    const worst = sigs.map((s) => s[3] as Mods).reduce<Mods>((a, b) => (RANK[b] > RANK[a] ? b : a), 'none');
    if (mods[0] !== worst) note('modifications', null, mods[0]!, worst);
  }

  const judged = (column: 'expected_indication' | 'vn-gov', results: string[][]) => {
    const expected = read(row, column, results.length);
    if (!expected) return;
    const label = column === 'vn-gov' ? 'vn-gov' : 'indication';
    mark(label);
    if (expected.length !== results.length) return note(label, null, `${expected.length} signatures`, `${results.length}`);
    expected.forEach((e, i) => {
      if (e === null) return;
      const [word, subs] = e.split('/') as [string, string | undefined];
      const [kWord, kSub] = results[i]![2]!.split('/') as [string, string | undefined];
      if (word !== kWord) return note(label, i, word, column === 'vn-gov' ? results[i]![2]! : kWord);
      if (subs === undefined) return;
      if (column === 'vn-gov') {
        if (!subs.split('|').includes(kSub ?? '')) note(label, i, e, results[i]![2]!);
        return;
      }
      mark('sub-indication');
      if (!subs.split('|').includes(kSub ?? '')) note('sub-indication', i, subs, kSub ?? 'none');
    });
  };
  judged('expected_indication', sigs);
  if (kyso.vnGov) judged('vn-gov', kyso.vnGov.map((s) => s.split(' ')));

  const disagreements = [...out].map(([key, idx]) => key.replace('#%', `#${idx.join(',')}`));
  return { disagreements, compared };
}

describe('the whole verifier over the shared corpus', () => {
  const runs = new Map<string, Run>();

  beforeAll(async () => {
    for (const row of manifest.files) {
      const bytes = new Uint8Array(readFileSync(join(corpusDir(), row.file)));
      const anchor = await run(row, bytes, anchorsOf(row));
      const vnGov = short(row.file).startsWith('vn-') ? await run(row, bytes, ['vn-gov']) : null;
      runs.set(short(row.file), { anchor, vnGov });
    }
  }, 600_000);

  it('covers the 64 files of the manifest, each once', () => {
    expect(manifest.files).toHaveLength(64);
    expect(Object.keys(KYSO).sort()).toEqual(manifest.files.map((r) => short(r.file)).sort());
  });

  it.each(manifest.files.map((r) => [short(r.file), r] as const))('%s: kyso reports what the table pins', (name) => {
    const got = runs.get(name)!;
    const want = KYSO[name]!;
    expect(got.anchor).toEqual(want.anchor);
    expect(got.vnGov).toEqual(want.vnGov ?? null);
  });

  it('agrees with the manifest everywhere but the argued disagreements, column by column', () => {
    const all: string[] = [];
    const tally: Record<string, [number, number]> = {};
    for (const row of manifest.files) {
      const { disagreements, compared } = compare(row, { anchor: [...KYSO[short(row.file)]!.anchor], vnGov: KYSO[short(row.file)]!.vnGov ? [...KYSO[short(row.file)]!.vnGov!] : null });
      all.push(...disagreements);
      for (const [column, agreed] of Object.entries(compared)) {
        const t = (tally[column] ??= [0, 0]);
        t[1]++;
        if (agreed) t[0]++;
      }
    }
    expect(all).toEqual(ARGUED);
    const key = (c: string) => (c === 'modifications' ? 'modifications_after_signing' : c);
    expect(Object.fromEntries(Object.entries(tally).map(([c, [a, n]]) => [key(c), `${a}/${n}`]))).toEqual(AGREEMENT);
  });
});
