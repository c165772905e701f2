import { describe, expect, it } from 'vitest';

import { badgeText, createUnreadStore } from './unread';

describe('the unread count the bell and the notification centre share', () => {
  it('starts unknown, tells its listeners of a change once, and stops telling one that left', () => {
    const store = createUnreadStore();
    const heard: (number | null)[] = [];
    const leave = store.subscribe(() => heard.push(store.get()));
    expect(store.get()).toBeNull();
    store.set(3);
    store.set(3);
    store.set(0);
    leave();
    store.set(5);
    expect(heard).toEqual([3, 0]);
    expect(store.get()).toBe(5);
  });

  it('shows at most 99+', () => {
    expect(badgeText(1)).toBe('1');
    expect(badgeText(99)).toBe('99');
    expect(badgeText(100)).toBe('99+');
  });
});
