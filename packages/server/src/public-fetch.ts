import { lookup as dnsLookup } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { VerifyOptions } from '@kyso/core';

type FetchLike = NonNullable<VerifyOptions['fetch']>;

/**
 * Addresses a service must not be made to reach by a document: loopback, private networks (RFC 1918,
 * RFC 4193), link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, "this network",
 * multicast and reserved space, in IPv4 and IPv6 (IPv4-mapped IPv6 is checked as IPv4).
 */
function privateRanges(): BlockList {
  const b = new BlockList();
  for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
    ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 3]] as const) b.addSubnet(net, bits, 'ipv4');
  for (const [net, bits] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) b.addSubnet(net, bits, 'ipv6');
  b.addAddress('::1', 'ipv6');
  return b;
}

const PRIVATE = privateRanges();

/** True when `address` (an IP literal) is one a document must not make the service reach. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Options of {@link publicNetworkFetch}. */
export interface PublicFetchOptions {
  /** Hosts (names as in the URL) allowed even though they resolve to private addresses, e.g. an internal CRL mirror. */
  readonly allowHosts?: readonly string[];
  /** Largest answer accepted, bytes; default 20 MiB. */
  readonly maxBytes?: number;
}

/**
 * The network the service gives `verify` and `extend` for OCSP, CRL and AIA URLs. Those URLs come from
 * the certificates inside the uploaded document, so a hostile document could otherwise make the service
 * request internal addresses (server-side request forgery: metadata endpoints, admin consoles, Redis).
 * Only `http:` and `https:` are fetched, and only hosts resolving to public addresses. The check is
 * made on the address actually connected to (a custom DNS lookup), so a name that resolves to a private
 * address is refused too, whatever the URL says.
 */
export function publicNetworkFetch(options: PublicFetchOptions = {}): FetchLike {
  const allowed = new Set((options.allowHosts ?? []).map((h) => h.toLowerCase()));
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  return (input, init = {}) => new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      return reject(new Error('not a URL'));
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return reject(new Error(`refused scheme ${url.protocol}`));
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const free = allowed.has(host);
    if (!free && isIP(host) && isPrivateAddress(host)) return reject(new Error(`refused private address ${host}`));
    const lookup: LookupFunction = (hostname, opts, callback) => {
      dnsLookup(hostname, { ...opts, all: false }, (error, address, family) => {
        if (error) return callback(error, '', 0);
        if (!free && isPrivateAddress(address as string)) return callback(Object.assign(new Error(`refused private address ${String(address)}`), { code: 'EACCES' }), '', 0);
        callback(null, address as string, family as number);
      });
    };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: init.method ?? 'GET', headers: init.headers, lookup, signal: init.signal,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          res.destroy();
          reject(new Error(`answer larger than ${maxBytes} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          ok: res.statusCode! >= 200 && res.statusCode! < 300,
          status: res.statusCode!,
          headers: { get: (name: string) => { const v = res.headers[name.toLowerCase()]; return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v; } },
          arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
        });
      });
    });
    req.on('error', reject);
    req.end(init.body ? Buffer.from(init.body) : undefined);
  });
}
