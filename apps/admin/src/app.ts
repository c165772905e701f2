// First, before any module parses with zod.
import './zod-config';
import Taro, { usePageNotFound } from '@tarojs/taro';
import { type PropsWithChildren } from 'react';

import { PAGES } from './lib/paths';
import './app.css';

// The app shell: Taro renders the current page as `children`; each page wraps itself in the admin layout
// (components/layout.tsx), so the sign-in page can go without it.
export default function App({ children }: PropsWithChildren) {
  // An unknown address (an old bookmark, a typo) lands on the dashboard rather than an empty screen.
  usePageNotFound(() => {
    void Taro.redirectTo({ url: PAGES.dashboard });
  });
  return children;
}
