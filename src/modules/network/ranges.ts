import ipaddr from "ipaddr.js";

/** A pool's range in numbers: the first and last assignable address. */
export interface PoolRange {
  cidr: string;
  version: 4 | 6;
  first: bigint;
  last: bigint;
}

function toBig(addr: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  let n = 0n;
  for (const b of addr.toByteArray()) n = (n << 8n) | BigInt(b);
  return n;
}

function fromBig(n: bigint, version: 4 | 6): string {
  const bytes: number[] = [];
  for (let i = 0; i < (version === 4 ? 4 : 16); i++) {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/**
 * Reads a pool's CIDR. IPv4 pools of /30 and wider skip the network and broadcast addresses;
 * IPv6 pools skip the subnet-router anycast address (the all-zero host). Throws on bad input.
 */
export function parsePool(cidr: string): PoolRange {
  const [addr, prefix] = ipaddr.parseCIDR(cidr.trim());
  const version = addr.kind() === "ipv4" ? 4 : 6;
  const bits = version === 4 ? 32 : 128;
  const hostBits = BigInt(bits - prefix);
  const network = (toBig(addr) >> hostBits) << hostBits;
  const broadcast = network + (1n << hostBits) - 1n;
  let first = network;
  let last = broadcast;
  if (version === 4 && prefix <= 30) {
    first += 1n;
    last -= 1n;
  } else if (version === 6 && prefix <= 126) {
    first += 1n;
  }
  return { cidr: `${fromBig(network, version)}/${prefix}`, version, first, last };
}

export const poolSize = (r: PoolRange): bigint => r.last - r.first + 1n;

/** The canonical text of an address, or null when it is not one (IPv4-mapped IPv6 reads as IPv4). */
export function canonicalAddress(input: string): string | null {
  const value = input.trim();
  if (!ipaddr.isValid(value) || value.includes("/")) return null;
  try {
    return ipaddr.process(value).toString();
  } catch {
    return null;
  }
}

export function inPool(r: PoolRange, address: string): boolean {
  const addr = ipaddr.parse(address);
  if ((addr.kind() === "ipv4" ? 4 : 6) !== r.version) return false;
  const n = toBig(addr);
  return n >= r.first && n <= r.last;
}

/** The lowest assignable address not in `taken`, or null when the pool is full. */
export function nextFree(r: PoolRange, taken: ReadonlySet<string>): string | null {
  // At most |taken| + 1 candidates are looked at, whatever the pool's size.
  for (let n = r.first, seen = 0; n <= r.last && seen <= taken.size; n++, seen++) {
    const candidate = fromBig(n, r.version);
    if (!taken.has(candidate)) return candidate;
  }
  return null;
}
