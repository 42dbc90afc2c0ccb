import ipaddr from "ipaddr.js";
import { validationFailed } from "../../core/errors.js";

/** A parsed allow-list entry: the network and its prefix length. */
export type ParsedRange = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Reads an address the way the network layer gives it (IPv4-mapped IPv6 becomes IPv4). */
export function parseClientIp(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  try {
    return ipaddr.process(ip);
  } catch {
    return null;
  }
}

/**
 * Normalises an ACL entry: a bare address becomes a host range (/32, /128), a CIDR is reduced to
 * its network address so the stored form is canonical. Anything else is a field error on `field`.
 */
export function normaliseCidr(input: string, field = "address"): string {
  const value = input.trim();
  try {
    if (value.includes("/")) {
      const [addr, bits] = ipaddr.parseCIDR(value);
      const base = addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress() ? (addr as ipaddr.IPv6).toIPv4Address() : addr;
      const prefix = base === addr ? bits : bits - 96;
      if (prefix < 0) throw new Error("prefix too short for an IPv4-mapped range");
      const network = base.kind() === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(`${base.toString()}/${prefix}`) : ipaddr.IPv6.networkAddressFromCIDR(`${base.toString()}/${prefix}`);
      return `${network.toString()}/${prefix}`;
    }
    if (!ipaddr.isValid(value)) throw new Error("not an address");
    const addr = ipaddr.process(value);
    return `${addr.toString()}/${addr.kind() === "ipv4" ? 32 : 128}`;
  } catch {
    throw validationFailed([{ field, code: "invalid_format", message: "must be an IPv4 or IPv6 address or a CIDR range (192.0.2.0/24, 2001:db8::/32)" }]);
  }
}

export function parseRange(cidr: string): ParsedRange {
  return ipaddr.parseCIDR(cidr);
}

/** Is `ip` inside any of `ranges`? An unknown or unparsable address is inside none. */
export function ipAllowed(ip: string | null, ranges: readonly ParsedRange[]): boolean {
  if (ip === null) return false;
  const addr = parseClientIp(ip);
  if (!addr) return false;
  for (const range of ranges) {
    if (range[0].kind() === addr.kind() && addr.match(range)) return true;
  }
  return false;
}
