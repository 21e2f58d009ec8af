import type { Channel } from '$contracts/schemas/channels';
import { call, routes } from '$lib/api';

type ChannelNames = { byId: Record<number, Channel>; list: Channel[] };

// The channels, fetched once per tab: the board only needs their names.
const known: ChannelNames = $state({ byId: {}, list: [] });
let loading: Promise<void> | null = null;

/** The channels as last loaded (empty until `loadChannels` answers). */
export function channels(): ChannelNames {
  return known;
}

/** Loads the channels once; `force` loads them again (after adding one). */
export function loadChannels(force = false): Promise<void> {
  if (loading && !force) return loading;
  loading = call(routes.channels.list)
    .then((res) => {
      known.list = res.items;
      known.byId = Object.fromEntries(res.items.map((c) => [c.id, c]));
    })
    .catch(() => {
      // The badges then show no name; the next caller tries again.
      loading = null;
    });
  return loading;
}

// The ids asked for once already: an id the server does not know is not asked for again.
const asked: Record<number, true> = {};

/** A channel seen on an order but not known yet (one just created by an import or a webhook): loads the channels again. */
export function ensureChannel(id: number): void {
  if (known.byId[id] || asked[id]) return;
  asked[id] = true;
  void (loading ?? Promise.resolve()).then(() => {
    if (!known.byId[id]) void loadChannels(true);
  });
}
