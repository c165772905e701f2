import Taro from '@tarojs/taro';
import { type PropsWithChildren } from 'react';

import { client, errorMessage } from './api';
import './app.css';

// Silent sign-in at launch, started when the app module loads (before the first page asks for anything): on
// Alipay my.getAuthCode asks nobody; on H5 a launch without a session goes to the sandbox's authorize page once,
// and a launch that comes back from it trades the code for a session (README, "Sessions"). Pages that need the
// session wait for this sign-in instead of starting their own.
client.start().catch((error: unknown) => {
  void Taro.showToast({ title: errorMessage(error), icon: 'none', duration: 3000 });
});

// The app shell: Taro renders the current page as `children`.
export default function App({ children }: PropsWithChildren) {
  return children;
}
