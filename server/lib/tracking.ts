// Tracking links of the common carriers: the page where a customer follows a parcel by its number.

const CARRIERS: { match: RegExp; url: (ref: string) => string }[] = [
  { match: /\bups\b/i, url: (r) => `https://www.ups.com/track?tracknum=${r}` },
  { match: /\bfed ?ex\b/i, url: (r) => `https://www.fedex.com/fedextrack/?trknbr=${r}` },
  { match: /\bdhl\b/i, url: (r) => `https://www.dhl.com/en/express/tracking.html?AWB=${r}` },
  { match: /\busps\b/i, url: (r) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${r}` },
  { match: /\bcolissimo\b|\bla ?poste\b/i, url: (r) => `https://www.laposte.fr/outils/suivre-vos-envois?code=${r}` },
  { match: /\bpostnl\b/i, url: (r) => `https://postnl.nl/tracktrace/?B=${r}` },
  { match: /\bgls\b/i, url: (r) => `https://gls-group.com/track/${r}` },
  { match: /\bdpd\b/i, url: (r) => `https://tracking.dpd.de/status/en_US/parcel/${r}` },
  { match: /royal ?mail/i, url: (r) => `https://www.royalmail.com/track-your-item#/tracking-results/${r}` },
];

/**
 * The tracking page of a parcel, when its carrier is one we know (by name, any case) or the number
 * is a UPS one (1Z…); otherwise null and the number is shown on its own.
 */
export function trackingUrl(carrier: string | null, trackingRef: string | null): string | null {
  const ref = trackingRef?.trim();
  if (!ref) return null;
  const encoded = encodeURIComponent(ref);
  const known = carrier ? CARRIERS.find((c) => c.match.test(carrier)) : undefined;
  if (known) return known.url(encoded);
  return /^1Z[0-9A-Z]{3,}$/i.test(ref) ? CARRIERS[0]!.url(encoded) : null;
}
