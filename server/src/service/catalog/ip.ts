/**
 * IPv4 / IPv6 addresses and CIDR blocks for the `IpAddress` / `NotIpAddress` operators.
 * Hand-written parsers (no regular expression built from input, no Node `net` module so the
 * library stays transport-free and browser-safe).
 */

export interface IpValue {
  version: 4 | 6;
  /** The address as an unsigned integer (32 or 128 bits). */
  value: bigint;
}

export interface CidrBlock extends IpValue {
  /** Prefix length: 0–32 (IPv4) or 0–128 (IPv6). */
  prefix: number;
}

function parseV4Parts(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/** Parses an IPv4 or IPv6 address (no prefix). IPv6 may embed a trailing IPv4 (`::ffff:1.2.3.4`) and a zone is refused. */
export function parseIp(text: string): IpValue | undefined {
  const s = text.trim();
  if (s.includes(':')) return parseV6(s);
  const v4 = parseV4Parts(s);
  if (!v4) return undefined;
  return { version: 4, value: BigInt(((v4[0] << 24) >>> 0) + (v4[1] << 16) + (v4[2] << 8) + v4[3]) };
}

function parseV6(s: string): IpValue | undefined {
  if (s.length > 45 || s.includes('%')) return undefined;
  let words: number[] = [];
  const dbl = s.indexOf('::');
  if (dbl !== -1 && s.indexOf('::', dbl + 1) !== -1) return undefined;
  const parseSide = (side: string, allowV4Tail: boolean): number[] | undefined => {
    if (side === '') return [];
    const groups = side.split(':');
    const out: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      if (allowV4Tail && i === groups.length - 1 && g.includes('.')) {
        const v4 = parseV4Parts(g);
        if (!v4) return undefined;
        out.push((v4[0] << 8) + v4[1], (v4[2] << 8) + v4[3]);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  if (dbl === -1) {
    const all = parseSide(s, true);
    if (!all || all.length !== 8) return undefined;
    words = all;
  } else {
    const left = parseSide(s.slice(0, dbl), false);
    const right = parseSide(s.slice(dbl + 2), true);
    if (!left || !right || left.length + right.length > 7) return undefined;
    words = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  }
  let value = 0n;
  for (const w of words) value = (value << 16n) | BigInt(w);
  return { version: 6, value };
}

/** Parses `address` or `address/prefix`. A bare address is a /32 (IPv4) or /128 (IPv6) block. */
export function parseCidr(text: string): CidrBlock | undefined {
  const s = text.trim();
  const slash = s.indexOf('/');
  const ip = parseIp(slash === -1 ? s : s.slice(0, slash));
  if (!ip) return undefined;
  const max = ip.version === 4 ? 32 : 128;
  if (slash === -1) return { ...ip, prefix: max };
  const p = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(p)) return undefined;
  const prefix = Number(p);
  if (prefix > max) return undefined;
  return { ...ip, prefix };
}

/** Why `text` is not an address or CIDR block, or undefined when it is one. */
export function cidrProblem(text: string): string | undefined {
  if (parseCidr(text)) return undefined;
  const slash = text.indexOf('/');
  const addr = slash === -1 ? text : text.slice(0, slash);
  if (!parseIp(addr)) return `"${text}" is not an IPv4 or IPv6 address (expected e.g. 203.0.113.0/24 or 2001:db8::/32)`;
  return `"${text}" has an invalid prefix length (0–32 for IPv4, 0–128 for IPv6)`;
}

/** Is the address inside the block? Different IP versions never match (IPv4-mapped IPv6 addresses included). */
export function cidrContains(block: CidrBlock, ip: IpValue): boolean {
  if (block.version !== ip.version) return false;
  const bits = BigInt(block.version === 4 ? 32 : 128);
  const shift = bits - BigInt(block.prefix);
  return block.value >> shift === ip.value >> shift;
}
