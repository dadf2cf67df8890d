/**
 * The documents Storybook shows, and what strict verification must say about
 * each. Plain data without Node imports: the generator writes the files, its
 * test (packages/testkit/test/story-fixtures.test.ts) verifies every file
 * against these claims, and the stories import the same table, so a story can
 * never show a state its file does not have.
 */

/** Bumped whenever a fixture's recipe changes, so cached files are rebuilt. */
export const STORY_FIXTURES_VERSION = 3;

/** Where the generated files live, relative to `.fixtures/`; Storybook serves the folder as `/fixtures`. */
export const STORY_FIXTURES_DIR = 'stories';

/** The URL prefix under which Storybook serves {@link STORY_FIXTURES_DIR}. */
export const STORY_FIXTURES_URL = '/fixtures';

/** The trust anchor of the test PKI (DER), next to the documents. */
export const STORY_TRUST_FILE = 'root.cert.der';

/** PKCS#12 files the signing stories open in the page (password {@link STORY_P12_PASSWORD}; test keys only). */
export const STORY_KEYS = {
  leader: 'keys/leader.p12',
  seal: 'keys/seal.p12',
  expired: 'keys/expired.p12',
  nokeyusage: 'keys/nokeyusage.p12',
} as const;

/** Decree 30 appearance images (PNG) for the signing stories: the leader's signature and the agency's seal. */
export const STORY_IMAGES = {
  signature: 'images/signature.png',
  seal: 'images/seal.png',
} as const;

/** The password of every test PKCS#12 file (a published test value, never a real secret). */
export const STORY_P12_PASSWORD = 'kyso-test';

/** The signing time written into every signed fixture but the expired one (after the CRLs' thisUpdate, 2026-01-01). */
export const STORY_SIGNING_TIME = '2026-06-01T02:00:00.000Z';

/** The expired leaf (valid 2020–2021) claims to have signed inside its validity. */
export const STORY_EXPIRED_SIGNING_TIME = '2020-06-01T02:00:00.000Z';

/** Where the later annotation of `allowed-changes.pdf` sits on page 1, in PDF user space: [x, y, width, height]. */
export const ANNOTATION_RECT = [60, 60, 200, 60] as const;

/** ETSI EN 319 102-1 main indications (the names core's report uses). */
export type StoryIndication = 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';

/** What strict verification (trust: the test root; revocation: 'embedded') must report for one signature. */
export interface StorySignatureClaim {
  readonly indication: StoryIndication;
  readonly subIndication: string | null;
  /** modifications.verdict of the signature. */
  readonly modifications: 'none' | 'allowed' | 'disallowed';
  /** Whether the signed bytes are unchanged (`broken`: a byte inside the ByteRange differs). */
  readonly integrity: 'intact' | 'broken';
  /** The kinds of later changes, sorted and without repeats (e.g. `dss-added`, `annotation-added`). */
  readonly changeKinds: readonly string[];
  /** The signer's common name. */
  readonly signer: string;
}

/** One story document. */
export interface StoryFixture {
  /** File name inside {@link STORY_FIXTURES_DIR}. */
  readonly file: string;
  /** What the document shows, in both languages. */
  readonly title: { readonly vi: string; readonly en: string };
  /** Either every signature's verdict, in file order (empty: not signed), or the error code verification throws. */
  readonly claim: { readonly signatures: readonly StorySignatureClaim[] } | { readonly error: string };
}

const LEADER = 'Nguyễn Văn Đức';
const SEAL = 'Ủy ban nhân dân thành phố Đà Nẵng';
const passed = (signer: string, changeKinds: readonly string[] = []): StorySignatureClaim => ({
  indication: 'TOTAL_PASSED', subIndication: null, integrity: 'intact', modifications: changeKinds.length ? 'allowed' : 'none', changeKinds, signer,
});

/** Every story document, by the state it shows. */
export const STORY_FIXTURES = {
  valid: {
    file: 'valid.pdf',
    title: { vi: 'Văn bản có chữ ký hợp lệ (kèm dữ liệu thu hồi)', en: 'Validly signed document (revocation data embedded)' },
    claim: { signatures: [passed(LEADER)] },
  },
  validEnglish: {
    file: 'valid-en.pdf',
    title: { vi: 'Văn bản tiếng Anh có chữ ký hợp lệ (ECDSA P-256)', en: 'English document, valid signature (ECDSA P-256)' },
    claim: { signatures: [passed('TEST ECDSA P-256 kyso')] },
  },
  approveAndIssue: {
    file: 'approve-issue.pdf',
    title: { vi: 'Lãnh đạo ký duyệt, văn thư ký số phát hành (Nghị định 30)', en: 'Leader approves, clerk issues with the seal (Decree 30)' },
    claim: { signatures: [passed(LEADER, ['signature-added']), passed(SEAL)] },
  },
  allowedChanges: {
    file: 'allowed-changes.pdf',
    title: { vi: 'Ký chứng thực (DocMDP P=3), sau đó thêm chú thích: thay đổi được phép', en: 'Certified (DocMDP P=3), then annotated: an allowed change' },
    claim: { signatures: [passed(LEADER, ['annotation-added'])] },
  },
  modified: {
    file: 'modified.pdf',
    title: { vi: 'Nội dung trang bị sửa sau khi ký (thay đổi không được phép)', en: 'Page content changed after signing (disallowed)' },
    claim: {
      signatures: [{
        indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE', integrity: 'intact', modifications: 'disallowed',
        changeKinds: ['page-content-changed', 'resources-changed'], signer: LEADER,
      }],
    },
  },
  tampered: {
    file: 'tampered.pdf',
    title: { vi: 'Một byte trong phần đã ký bị sửa', en: 'One signed byte altered' },
    claim: {
      signatures: [{ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE', integrity: 'broken', modifications: 'none', changeKinds: [], signer: LEADER }],
    },
  },
  revoked: {
    file: 'revoked.pdf',
    title: { vi: 'Chứng thư số của người ký đã bị thu hồi', en: "The signer's certificate is revoked" },
    claim: {
      // No timestamp: nothing proves the signature predates the revocation (EN 319 102-1 REVOKED_NO_POE).
      signatures: [{ indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE', integrity: 'intact', modifications: 'none', changeKinds: [], signer: 'TEST Revoked kyso' }],
    },
  },
  expired: {
    file: 'expired.pdf',
    title: { vi: 'Chứng thư số đã hết hạn, không có dấu thời gian', en: 'Expired certificate, no timestamp' },
    claim: {
      signatures: [{
        indication: 'INDETERMINATE', subIndication: 'OUT_OF_BOUNDS_NO_POE', integrity: 'intact', modifications: 'none', changeKinds: [], signer: 'TEST Expired kyso',
      }],
    },
  },
  untrusted: {
    file: 'untrusted.pdf',
    title: { vi: 'Người ký thuộc một CA gốc không được tin cậy', en: 'Signer under an untrusted root' },
    claim: {
      signatures: [{
        indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND', integrity: 'intact', modifications: 'none', changeKinds: [],
        signer: 'TEST Untrusted Signer kyso',
      }],
    },
  },
  indeterminate: {
    file: 'indeterminate.pdf',
    title: { vi: 'Không có dữ liệu thu hồi: chưa xác định', en: 'No revocation data: indeterminate' },
    claim: { signatures: [{ indication: 'INDETERMINATE', subIndication: 'TRY_LATER', integrity: 'intact', modifications: 'none', changeKinds: [], signer: LEADER }] },
  },
  unsigned: {
    file: 'unsigned.pdf',
    title: { vi: 'Văn bản chưa ký', en: 'Unsigned document' },
    claim: { signatures: [] },
  },
  encrypted: {
    file: 'encrypted.pdf',
    title: { vi: 'Tệp PDF được mã hóa bằng mật khẩu', en: 'Password-encrypted PDF' },
    claim: { error: 'ERR_PDF_ENCRYPTED' },
  },
  garbage: {
    file: 'garbage.pdf',
    title: { vi: 'Không phải tệp PDF', en: 'Not a PDF file' },
    claim: { error: 'ERR_PDF_MALFORMED' },
  },
  large: {
    file: 'large.pdf',
    title: { vi: 'Tệp lớn (20 MB) có chữ ký hợp lệ', en: 'Large file (20 MB), valid signature' },
    claim: { signatures: [passed(LEADER)] },
  },
} as const satisfies Record<string, StoryFixture>;

/** The name of a story document. */
export type StoryFixtureName = keyof typeof STORY_FIXTURES;

/** The large fixture is at least this big (issue 5 §3: loading and progress). */
export const STORY_LARGE_MIN_BYTES = 20_000_000;
