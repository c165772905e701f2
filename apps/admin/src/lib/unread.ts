/**
 * The signed-in admin's unread notifications, shared by the bell in the top bar and the notification centre: the
 * bell reads the count when a page loads and every `UNREAD_REFRESH_MS`, the centre sets it from its list and from
 * 全部已读's answer, so the badge changes at once. `null` until the first answer.
 */

export const UNREAD_REFRESH_MS = 30_000;

type Listener = () => void;

export interface UnreadStore {
  get: () => number | null;
  set: (count: number) => void;
  subscribe: (listener: Listener) => () => void;
}

export function createUnreadStore(): UnreadStore {
  let count: number | null = null;
  const listeners = new Set<Listener>();
  return {
    get: () => count,
    set(next) {
      if (next === count) return;
      count = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export const unreadStore = createUnreadStore();

/** The badge's text: the count, or 99+. */
export function badgeText(count: number): string {
  return count > 99 ? '99+' : String(count);
}
