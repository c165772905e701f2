// First, before any module parses with zod.
import './zod-config';
import Taro, { useLaunch } from '@tarojs/taro';
import { type PropsWithChildren } from 'react';

import { client, errorMessage } from './api';
import './app.css';

// The app shell: Taro renders the current page as `children`.
export default function App({ children }: PropsWithChildren) {
  // At launch: on Alipay, silent sign-in (my.getAuthCode asks nobody); on H5, only a launch that comes back from the
  // sandbox's authorize page trades its code for a session, and otherwise the visitor browses without one until
  // something needs it (README, "Sessions"). A page that needs the session before this runs shares the same
  // sign-in (src/api/client.ts).
  useLaunch(() => {
    client.start().catch((error: unknown) => {
      void Taro.showToast({ title: errorMessage(error), icon: 'none', duration: 3000 });
    });
  });
  return children;
}
