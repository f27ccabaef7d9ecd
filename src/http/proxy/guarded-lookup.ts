import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress } from './address-guard.js';
import { OddsgateError } from '../../core/errors.js';

/** Resolves a host name to its addresses (dns.lookup with `all: true`; tests inject their own). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

/** The system resolver. */
export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    ),
  );

/** Raised when a host resolves to an address the proxy may not reach. */
export class BlockedAddressError extends OddsgateError<'ERR_PROXY_BLOCKED_ADDRESS'> {
  constructor(hostname: string) {
    super('ERR_PROXY_BLOCKED_ADDRESS', `${hostname} resolves to a private or loopback address`);
    this.name = 'BlockedAddressError';
  }
}

/**
 * A `lookup` for net/tls.connect that resolves the name itself and hands the socket the checked address, so
 * what was checked is what is connected to (no second resolution to rebind). If any address of the name is
 * private or loopback, the connection is refused, unless `mayBePrivate(hostname)` (the proxy keeps a separate
 * connection pool that says yes, used only for hosts and ports listed exactly with `+private`).
 */
export function guardedLookup(
  resolver: Resolver,
  mayBePrivate: (hostname: string) => boolean,
): LookupFunction {
  return (hostname, options, callback) => {
    resolver(hostname).then(
      (all) => {
        const family = typeof options === 'object' && options.family ? Number(options.family) : 0;
        const usable = all.filter((a) => family === 0 || a.family === family);
        if (usable.length === 0)
          return callback(
            Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }),
            '',
            4,
          );
        if (!mayBePrivate(hostname) && usable.some((a) => isPrivateAddress(a.address)))
          return callback(new BlockedAddressError(hostname), '', 4);
        const first = usable[0] as LookupAddress;
        if (typeof options === 'object' && options.all)
          return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
        return callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 4),
    );
  };
}
