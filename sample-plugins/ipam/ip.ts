/**
 * IP arithmetic for the allocator: addresses as bigints of 32 or 128 bits, so IPv4 and IPv6
 * ranges walk the same way. Addresses print as Go's net.IP.String() does (RFC 5952 for IPv6),
 * because host-local names its reservation files that way and the two share a dataDir.
 */
import { isIP } from 'node:net';

export type Family = 4 | 6;

export interface Addr {
  readonly family: Family;
  readonly value: bigint;
}

export interface Cidr {
  readonly family: Family;
  /** The network address (host bits zero). */
  readonly network: bigint;
  readonly prefix: number;
  /** The address as written, before masking (host-local refuses one with host bits set). */
  readonly given: bigint;
}

export const bits = (family: Family): number => (family === 4 ? 32 : 128);

/** The address `text` denotes, or undefined. IPv4-mapped IPv6 is IPv6 here. */
export function parseIp(text: unknown): Addr | undefined {
  if (typeof text !== 'string') return undefined;
  const family = isIP(text);
  if (family === 4) return { family, value: text.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n) };
  if (family !== 6) return undefined;
  let body = text;
  let tail: bigint[] = [];
  // A trailing dotted quad is the last two groups.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (quad) {
    const v4 = parseIp(quad[1])!.value;
    tail = [v4 >> 16n, v4 & 0xffffn];
    body = body.slice(0, -quad[1]!.length);
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const [head, rest] = body.split('::') as [string, string | undefined];
  const groups = (s: string): bigint[] => (s === '' ? [] : s.split(':').map((g) => BigInt(`0x${g}`)));
  const hi = groups(head);
  const lo = [...(rest === undefined ? [] : groups(rest)), ...tail];
  const all = rest === undefined ? [...hi, ...lo] : [...hi, ...Array<bigint>(8 - hi.length - lo.length).fill(0n), ...lo];
  return { family, value: all.reduce((acc, g) => (acc << 16n) | g, 0n) };
}

/** The address in Go's notation: dotted quad, or RFC 5952 (longest run of ≥ 2 zero groups as "::"). */
export function formatIp(addr: Addr): string {
  if (addr.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((addr.value >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((addr.value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  return best < 0 ? hex(groups) : `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
}

/** "addr/prefix", or undefined when it is not one. */
export function parseCidr(text: unknown): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const [a, p, ...more] = text.split('/');
  const addr = parseIp(a);
  if (!addr || more.length > 0 || p === undefined || !/^\d{1,3}$/.test(p)) return undefined;
  const prefix = Number(p);
  const width = bits(addr.family);
  if (prefix > width) return undefined;
  const host = (1n << BigInt(width - prefix)) - 1n;
  return { family: addr.family, network: addr.value & ~host, prefix, given: addr.value };
}

/** The last address of the subnet (IPv4: the broadcast address). */
export function lastOf(c: Cidr): bigint {
  return c.network | ((1n << BigInt(bits(c.family) - c.prefix)) - 1n);
}

export function contains(c: Cidr, a: Addr): boolean {
  return a.family === c.family && a.value >= c.network && a.value <= lastOf(c);
}

export const cidrText = (c: Cidr): string => `${formatIp({ family: c.family, value: c.network })}/${c.prefix}`;
