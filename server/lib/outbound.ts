import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { Agent, fetch as undiciFetch, type RequestInit as UndiciInit, type Response as UndiciResponse } from 'undici';

// Requests the server makes to addresses an administrator typed (a shop's URL): the address each
// connection is actually made to (after DNS, so a name that later resolves elsewhere cannot slip
// through) must be a public one. Loopback, private, link-local (cloud metadata at 169.254.169.254),
// unique-local, carrier-grade NAT and reserved ranges are refused unless the installation allows the
// private network (CHANNEL_PRIVATE_NETWORK=1, for shops on the same network, and the tests' stand-ins).

const PUBLIC_RANGES = new Set(['unicast']);

/** Why an address may not be reached, or null when it may. */
export function refusedAddress(address: string): string | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.process(address);
  } catch {
    return `${address} is not an address`;
  }
  const range = ip.range();
  return PUBLIC_RANGES.has(range) ? null : `${address} is a ${range} address`;
}

export class RefusedAddressError extends Error {}

function guardedLookup(
  hostname: string,
  options: object,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const list = addresses as LookupAddress[];
    const refused = list.map((a) => refusedAddress(a.address)).find((r) => r !== null);
    if (refused) {
      return callback(
        new RefusedAddressError(`${hostname} resolves to ${refused}: the private network is not reachable from here (CHANNEL_PRIVATE_NETWORK)`),
        [],
      );
    }
    if ((options as { all?: boolean }).all) return callback(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
}

let guarded: Agent | undefined;

/** fetch to a public address only (unless `privateNetwork`): the check is made on each connection. */
export async function outboundFetch(url: string, init: UndiciInit, opts: { privateNetwork: boolean }): Promise<UndiciResponse> {
  if (opts.privateNetwork) return undiciFetch(url, init);
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  // An address written as such is checked before anything is sent.
  if (ipaddr.isValid(host)) {
    const refused = refusedAddress(host);
    if (refused) throw new RefusedAddressError(`${refused}: the private network is not reachable from here (CHANNEL_PRIVATE_NETWORK)`);
  }
  guarded ??= new Agent({ connect: { lookup: guardedLookup as never } });
  return undiciFetch(url, { ...init, dispatcher: guarded });
}
