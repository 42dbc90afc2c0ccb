import { lookup } from "node:dns/promises";
import type { LookupAddress } from "node:dns";
import ipaddr from "ipaddr.js";

/** Why a webhook target is refused; null when it may be called. */
export type TargetRefusal = { field: string; code: "invalid_format" | "not_allowed"; message: string };

/** Only globally routable unicast addresses; loopback, private, link-local, CGNAT, ... are internal. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return ip.range() === "unicast";
}

/**
 * Webhook targets are checked when registered and again, by address, on every connection (the
 * name may resolve elsewhere later: DNS rebinding). Unless `allowPrivate`, only https:// to
 * public addresses is accepted.
 */
export class TargetPolicy {
  constructor(readonly allowPrivate: boolean) {}

  /** Syntax and scheme; no network. */
  checkUrl(raw: string): TargetRefusal | URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { field: "url", code: "invalid_format", message: "must be an absolute http(s) URL" };
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") return { field: "url", code: "invalid_format", message: "must use https" };
    if (url.protocol === "http:" && !this.allowPrivate) return { field: "url", code: "not_allowed", message: "must use https" };
    if (url.username || url.password) return { field: "url", code: "not_allowed", message: "must not carry credentials; the signature authenticates deliveries" };
    return url;
  }

  /** Resolves the host and refuses internal addresses (SSRF). */
  async check(raw: string): Promise<TargetRefusal | null> {
    const url = this.checkUrl(raw);
    if (!(url instanceof URL)) return url;
    if (this.allowPrivate) return null;
    const host = url.hostname.replace(/^\[|\]$/g, "");
    let addresses: LookupAddress[];
    try {
      addresses = ipaddr.isValid(host) ? [{ address: host, family: host.includes(":") ? 6 : 4 }] : await lookup(host, { all: true });
    } catch {
      return { field: "url", code: "invalid_format", message: `host ${host} does not resolve` };
    }
    const internal = addresses.find((a) => !isPublicAddress(a.address));
    if (internal) return { field: "url", code: "not_allowed", message: `resolves to ${internal.address}, a private, loopback or otherwise internal address` };
    return null;
  }

  /**
   * A `lookup` for http(s).request that refuses internal addresses at connect time, so the
   * address checked is the address connected to.
   */
  readonly connectLookup = (
    hostname: string,
    options: { family?: number | string; all?: boolean },
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    lookup(hostname, { all: true })
      .then((addresses) => {
        const allowed = this.allowPrivate ? addresses : addresses.filter((a) => isPublicAddress(a.address));
        const first = allowed[0];
        if (!first) {
          const err: NodeJS.ErrnoException = new Error(`refused: ${hostname} resolves only to internal addresses`);
          err.code = "ECONNREFUSED";
          callback(err, "", 4);
          return;
        }
        if (options.all) callback(null, allowed);
        else callback(null, first.address, first.family);
      })
      .catch((err: NodeJS.ErrnoException) => callback(err, "", 4));
  };
}
