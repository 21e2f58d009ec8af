import { call, routes } from '$lib/api';
import { onConnectionStatus, onEvent, type ConnectionStatus } from '$lib/socket';

/** The signed-in user's unread notifications, as the header badge shows them. */
export const unread = $state({ count: 0 });

// A newer answer (or a count set by the inbox page) makes an older answer stale.
let seq = 0;

export function setUnread(count: number): void {
  seq++;
  unread.count = count;
}

export async function refreshUnread(): Promise<void> {
  const mine = ++seq;
  try {
    const res = await call(routes.notifications.list, { query: { unread: true, limit: 1 } });
    if (mine === seq) unread.count = res.unread;
  } catch {
    // The badge keeps its count; the next notification or reconnect asks again.
  }
}

/** Keeps the count live: on each new notification and after a reconnect. Returns the function that stops. */
export function followUnread(): () => void {
  let last: ConnectionStatus | null = null;
  void refreshUnread();
  const offs = [
    onEvent('notification.created', () => void refreshUnread()),
    onConnectionStatus((s) => {
      // Notifications sent while offline never arrive as events.
      if (s === 'online' && last !== null && last !== 'online') void refreshUnread();
      last = s;
    }),
  ];
  return () => offs.forEach((off) => off());
}
