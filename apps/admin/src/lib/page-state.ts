import Taro from '@tarojs/taro';
import { type Dispatch, type SetStateAction, useEffect, useState } from 'react';

/**
 * State that outlives a page's content while another page is pushed on top of it. The admin layout renders nothing
 * for a hidden page (so only the visible page's elements are in the document, and its names and test ids are
 * unique), which unmounts the page's components; a list's filters and page number are kept here, per page instance
 * (Taro's `$taroPath` carries the instance's stamp), and come back when the page is shown again. A new visit from the
 * sidebar is a new instance and starts fresh.
 */
const store = new Map<string, unknown>();
const MAX_ENTRIES = 200;

function remember(key: string, value: unknown): void {
  store.delete(key);
  store.set(key, value);
  // Oldest first in insertion order; a long session's abandoned pages are forgotten.
  while (store.size > MAX_ENTRIES) {
    const oldest = store.keys().next().value;
    if (oldest === undefined) break;
    store.delete(oldest);
  }
}

export function usePageState<T>(name: string, initial: T | (() => T)): [T, Dispatch<SetStateAction<T>>] {
  const [key] = useState(() => `${Taro.getCurrentInstance().router?.$taroPath ?? ''}#${name}`);
  const [value, setValue] = useState<T>(() =>
    store.has(key) ? (store.get(key) as T) : typeof initial === 'function' ? (initial as () => T)() : initial,
  );
  useEffect(() => {
    remember(key, value);
  }, [key, value]);
  return [value, setValue];
}
