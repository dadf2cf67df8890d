import type { KeySpec } from './keys.js';
import type { KeyUsageName, NameSpec } from './x509.js';

/**
 * The test PKI, shaped like the Vietnamese Government ("chuyên dùng") PKI of
 * Ban Cơ yếu Chính phủ (see the trust-roots domain notes), every name
 * marked TEST. Serials, dates and key seeds are fixed so that every clone
 * generates byte-identical certificates.
 */

/** Bumped whenever the output would change; a cached PKI with another version is regenerated. */
export const PKI_GENERATOR_VERSION = 2;

/** Password of every `<name>.p12`. */
export const P12_PASSWORD = 'kyso-test';

/** URLs the leaves point at; tests route them through an injected fetch. */
export const PKI_URLS = {
  intermediateCrl: 'http://pki.kyso.test/crl/intermediate.crl',
  rootCrl: 'http://pki.kyso.test/crl/root.crl',
  ocsp: 'http://pki.kyso.test/ocsp',
  intermediateCert: 'http://pki.kyso.test/ca/intermediate.cer',
  rootCert: 'http://pki.kyso.test/ca/root.cer',
} as const;

/** VGCA's policy arc under the Vietnam OID 2.16.704 (trust-roots.md §2). */
export const POLICY_OID = '2.16.704.1.1.1.1.1';

/** Policy the test TSA stamps under (a TEST arc, not a real VGCA policy). */
export const TSA_POLICY_OID = '2.16.704.1.1.1.99.1';

export const ENTITY_NAMES = [
  'root',
  'intermediate',
  'leader',
  'seal',
  'rsa3072',
  'p256',
  'p384',
  'revoked',
  'expired',
  'notyet',
  'nokeyusage',
  'tsa',
  'ocsp',
  'offline',
  'untrusted-root',
  'untrusted',
] as const;
/** Every entity of the test PKI. */
export type EntityName = (typeof ENTITY_NAMES)[number];
/** The end-entity certificates (each also gets a `.p12`). */
export type LeafName = Exclude<EntityName, 'root' | 'intermediate' | 'untrusted-root'>;

const date = (iso: string) => new Date(iso + 'T00:00:00Z');

export const VALIDITY = {
  ca: [date('2024-01-01'), date('2049-01-01')],
  leaf: [date('2025-01-01'), date('2035-01-01')],
  expired: [date('2020-01-01'), date('2021-01-01')],
  notyet: [date('2040-01-01'), date('2045-01-01')],
  crlThisUpdate: date('2026-01-01'),
  crlNextUpdate: date('2036-01-01'),
  revocationDate: date('2025-06-01'),
} as const;

/** CRLReason keyCompromise (RFC 5280 §5.3.1). */
export const REVOCATION_REASON = 1;

export const ROOT_NAME: NameSpec = [
  ['C', 'VN'],
  ['O', 'Ban Cơ yếu Chính phủ (TEST)'],
  ['CN', 'TEST RootCA chuyên dùng Chính phủ kyso'],
];
export const INTERMEDIATE_NAME: NameSpec = [
  ['C', 'VN'],
  ['O', 'Ban Cơ yếu Chính phủ (TEST)'],
  ['CN', 'TEST CA phục vụ các cơ quan Nhà nước kyso'],
];
export const UNTRUSTED_ROOT_NAME: NameSpec = [
  ['C', 'VN'],
  ['O', 'kyso (TEST, untrusted)'],
  ['CN', 'TEST Untrusted Root kyso'],
];

const testLeaf = (cn: string): NameSpec => [
  ['C', 'VN'],
  ['O', 'kyso (TEST)'],
  ['CN', cn],
];

/** How one entity is made. */
export interface EntityProfile {
  readonly name: EntityName;
  readonly role: 'root' | 'ca' | 'leaf';
  readonly issuer: EntityName;
  readonly serialHex: string;
  readonly key: KeySpec;
  readonly subject: NameSpec;
  readonly validity: readonly [Date, Date];
  readonly keyUsage: readonly KeyUsageName[];
  readonly eku?: { readonly oids: readonly string[]; readonly critical: boolean };
  readonly ocspNoCheck?: boolean;
  /** Whether the leaf points at the test CRL/OCSP/caIssuers URLs. */
  readonly revocationPointers: boolean;
}

const SIGNING: readonly KeyUsageName[] = ['digitalSignature', 'nonRepudiation'];
const rsa2048 = { type: 'rsa', bits: 2048 } as const;

// Serials: "4B59534F" is ASCII "KYSO"; fixed so tests can name them.
export const PROFILES: readonly EntityProfile[] = [
  { name: 'root', role: 'root', issuer: 'root', serialHex: '4B59534F00000001', key: rsa2048, subject: ROOT_NAME,
    validity: VALIDITY.ca, keyUsage: ['keyCertSign', 'cRLSign'], revocationPointers: false },
  { name: 'intermediate', role: 'ca', issuer: 'root', serialHex: '4B59534F00000002', key: rsa2048, subject: INTERMEDIATE_NAME,
    validity: VALIDITY.ca, keyUsage: ['digitalSignature', 'keyCertSign', 'cRLSign'], revocationPointers: true },
  { name: 'leader', role: 'leaf', issuer: 'intermediate', serialHex: '4B59534F00001001', key: rsa2048,
    subject: [['C', 'VN'], ['L', 'Đà Nẵng'], ['O', 'Văn phòng UBND thành phố Đà Nẵng (TEST)'], ['CN', 'Nguyễn Văn Đức'], ['UID', 'CCCD:001085012345']],
    validity: VALIDITY.leaf, keyUsage: SIGNING, revocationPointers: true },
  { name: 'seal', role: 'leaf', issuer: 'intermediate', serialHex: '4B59534F00001002', key: rsa2048,
    subject: [['C', 'VN'], ['L', 'Đà Nẵng'], ['O', 'UBND thành phố Đà Nẵng (TEST)'], ['CN', 'Ủy ban nhân dân thành phố Đà Nẵng'], ['UID', 'MST:0400101556']],
    validity: VALIDITY.leaf, keyUsage: SIGNING, revocationPointers: true },
  { name: 'rsa3072', role: 'leaf', issuer: 'intermediate', serialHex: '4B59534F00001003', key: { type: 'rsa', bits: 3072 },
    subject: testLeaf('TEST RSA-3072 kyso'), validity: VALIDITY.leaf, keyUsage: SIGNING, revocationPointers: true },
  { name: 'p256', role: 'leaf', issuer: 'intermediate', serialHex: '4B59534F00001004', key: { type: 'ec', curve: 'P-256' },
    subject: testLeaf('TEST ECDSA P-256 kyso'), validity: VALIDITY.leaf, keyUsage: SIGNING, revocationPointers: true },
  { name: 'p384', role: 'leaf', issuer: 'intermediate', serialHex: '4B59534F00001005', key: { type: 'ec', curve: 'P-384' },
    subject: testLeaf('TEST ECDSA P-384 kyso'), validity: VALIDITY.leaf, keyUsage: SIGNING, revocationPointers: true },
  { name: 'revoked', role: 'leaf', issuer: 'intermediate', serialHex: '4B59534F00001006', key: rsa2048,
    subject: testLeaf('TEST Revoked kyso'), validity: VALIDITY.leaf, keyUsage: SIGNING, revocationPointers: true },
  { name: 'expired', role: 'leaf', issuer: 'intermediate', serialHex: '4B59534F00001007', key: rsa2048,
    subject: testLeaf('TEST Expired kyso'), validity: VALIDITY.expired, keyUsage: SIGNING, revocationPointers: true },
  { name: 'notyet', role: 'leaf', issuer: 'intermediate', serialHex: '4B59534F00001008', key: rsa2048,
    subject: testLeaf('TEST Not Yet Valid kyso'), validity: VALIDITY.notyet, keyUsage: SIGNING, revocationPointers: true },
  { name: 'nokeyusage', role: 'leaf', issuer: 'intermediate', serialHex: '4B59534F00001009', key: rsa2048,
    subject: testLeaf('TEST No Signing Key Usage kyso'), validity: VALIDITY.leaf, keyUsage: ['keyEncipherment'], revocationPointers: true },
  { name: 'tsa', role: 'leaf', issuer: 'intermediate', serialHex: '4B59534F0000100A', key: rsa2048,
    subject: [['C', 'VN'], ['O', 'Ban Cơ yếu Chính phủ (TEST)'], ['CN', 'TEST TSA kyso']], validity: VALIDITY.leaf,
    keyUsage: ['digitalSignature'], eku: { oids: ['1.3.6.1.5.5.7.3.8'], critical: true }, revocationPointers: true },
  { name: 'ocsp', role: 'leaf', issuer: 'intermediate', serialHex: '4B59534F0000100B', key: rsa2048,
    subject: [['C', 'VN'], ['O', 'Ban Cơ yếu Chính phủ (TEST)'], ['CN', 'TEST OCSP kyso']], validity: VALIDITY.leaf,
    keyUsage: ['digitalSignature'], eku: { oids: ['1.3.6.1.5.5.7.3.9'], critical: false }, ocspNoCheck: true, revocationPointers: false },
  // No CRL DP or AIA: poppler's pdfsig turns an unreachable OCSP URL into "Unknown issue with
  // Certificate", so tools that go online themselves need a signer without pointers.
  { name: 'offline', role: 'leaf', issuer: 'intermediate', serialHex: '4B59534F0000100C', key: rsa2048,
    subject: [['C', 'VN'], ['L', 'Đà Nẵng'], ['O', 'Văn phòng UBND thành phố Đà Nẵng (TEST)'], ['CN', 'TEST Offline Signer kyso'], ['UID', 'CCCD:001085099999']],
    validity: VALIDITY.leaf, keyUsage: SIGNING, revocationPointers: false },
  { name: 'untrusted-root', role: 'root', issuer: 'untrusted-root', serialHex: '4B59534F00000F01', key: rsa2048,
    subject: UNTRUSTED_ROOT_NAME, validity: VALIDITY.ca, keyUsage: ['keyCertSign', 'cRLSign'], revocationPointers: false },
  { name: 'untrusted', role: 'leaf', issuer: 'untrusted-root', serialHex: '4B59534F00001F01', key: rsa2048,
    subject: testLeaf('TEST Untrusted Signer kyso'), validity: VALIDITY.leaf, keyUsage: SIGNING, revocationPointers: false },
];

export function profileOf(name: EntityName): EntityProfile {
  const p = PROFILES.find((x) => x.name === name);
  if (!p) throw new Error('testkit: unknown PKI entity ' + name);
  return p;
}
