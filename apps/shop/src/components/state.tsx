import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState, type ReactNode } from 'react';

import { client } from '../api';
import { errorCode, errorMessage, needsSignIn, type ErrorContext } from '../api/errors';
import type { Loadable } from '../hooks/use-request';
import { goTab } from '../lib/routes';
import { Button } from '../ui';
import emptyBox from '../assets/icons/empty-box.png';
import failedIcon from '../assets/icons/failed.png';
import './state.css';

/** The loading, empty and error states every page shows (house rule: no page without them). */

export function LoadingView(props: { text?: string; compact?: boolean }) {
  return (
    <View className={`state${props.compact ? ' state--compact' : ''}`} data-testid="state-loading">
      <View className="state__spinner" />
      <Text className="state__text">{props.text ?? '加载中…'}</Text>
    </View>
  );
}

export function EmptyView(props: { icon?: string; title: string; hint?: string; action?: ReactNode }) {
  return (
    <View className="state" data-testid="state-empty">
      <Image className="state__icon" src={props.icon ?? emptyBox} />
      <Text className="state__title">{props.title}</Text>
      {props.hint ? <Text className="state__text">{props.hint}</Text> : null}
      {props.action ? <View className="state__action">{props.action}</View> : null}
    </View>
  );
}

/**
 * What a page shows when it needs a signed-in shopper and has none: the shopper signed out, or came back from the
 * sign-in page without signing in. 登录 signs in (on H5 through the authorize page, back to this page), then
 * `onSignedIn` loads what the page needs.
 */
export function SignInView(props: { icon?: string; title?: string; hint?: string; onSignedIn?: () => void }) {
  const [busy, setBusy] = useState(false);
  const signIn = () => {
    setBusy(true);
    client
      .signIn()
      .then(() => props.onSignedIn?.())
      .catch((error: unknown) => void Taro.showToast({ title: errorMessage(error), icon: 'none' }))
      .finally(() => setBusy(false));
  };
  return (
    <View className="state" data-testid="state-sign-in">
      <Image className="state__icon" src={props.icon ?? emptyBox} />
      <Text className="state__title">{props.title ?? '登录后查看'}</Text>
      <Text className="state__text">{props.hint ?? '使用支付宝账号一键登录'}</Text>
      <View className="state__action">
        <Button
          type="primary"
          size="small"
          loading={busy}
          data-testid="state-sign-in-button"
          onClick={signIn}
        >
          登录
        </Button>
      </View>
    </View>
  );
}

/**
 * A failed load: what went wrong in the shopper's words, the code for support, 重试 and a way home (a page opened
 * from a link has nothing to go back to). A failure whose way on is signing in shows the sign-in view instead.
 */
export function ErrorView(props: {
  error: unknown;
  onRetry?: () => void;
  context?: ErrorContext;
  action?: ReactNode;
  /** False on the home page itself. */
  home?: boolean;
}) {
  if (needsSignIn(props.error)) return <SignInView onSignedIn={props.onRetry} />;
  const code = errorCode(props.error);
  return (
    <View className="state" data-testid="state-error">
      <Image className="state__icon state__icon--small" src={failedIcon} />
      <Text className="state__title">{errorMessage(props.error, props.context)}</Text>
      {code ? <Text className="state__code">错误码 {code}</Text> : null}
      <View className="state__action">
        {props.onRetry ? (
          <Button type="primary" size="small" data-testid="state-retry" onClick={props.onRetry}>
            重试
          </Button>
        ) : null}
        {props.home === false ? null : (
          <Button size="small" data-testid="state-home" onClick={() => goTab('home')}>
            返回首页
          </Button>
        )}
        {props.action}
      </View>
    </View>
  );
}

/** Renders a Loadable: the loading and error states, or `children(data)`. */
export function Loaded<T>(props: {
  state: Loadable<T>;
  onRetry: () => void;
  children: (data: T) => ReactNode;
  context?: ErrorContext;
  /** False on the home page itself (no 返回首页). */
  home?: boolean;
}) {
  const { state } = props;
  if (state.status === 'loading') return <LoadingView />;
  if (state.status === 'error')
    return (
      <ErrorView error={state.error} onRetry={props.onRetry} context={props.context} home={props.home} />
    );
  return <>{props.children(state.data)}</>;
}

/** The end of an infinitely scrolling list: loading more, a retry, or "no more". */
export function ListFooter(props: {
  loadingMore: boolean;
  moreError: unknown;
  done: boolean;
  onRetry: () => void;
}) {
  if (props.loadingMore) return <LoadingView compact text="正在加载更多…" />;
  if (props.moreError)
    return (
      <View className="list-footer" onClick={props.onRetry} data-testid="list-retry">
        <Text>{errorMessage(props.moreError)}，</Text>
        <Text className="link">点击重试</Text>
      </View>
    );
  if (props.done) return <View className="list-footer">— 没有更多了 —</View>;
  return <View className="list-footer" />;
}
