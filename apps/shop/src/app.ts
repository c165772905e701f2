import Taro, { useLaunch } from '@tarojs/taro';
import { type PropsWithChildren } from 'react';

import { client, errorMessage } from './api';
import './app.css';

// The app shell: Taro renders the current page as `children`.
export default function App({ children }: PropsWithChildren) {
  // Silent sign-in at launch: on Alipay my.getAuthCode asks nobody; on H5 a launch without a session goes to the
  // sandbox's authorize page once, and a launch that comes back from it trades the code for a session (README,
  // "Sessions"). A page that needs the session before this runs shares the same sign-in (src/api/client.ts).
  useLaunch(() => {
    client.start().catch((error: unknown) => {
      void Taro.showToast({ title: errorMessage(error), icon: 'none', duration: 3000 });
    });
  });
  return children;
}
