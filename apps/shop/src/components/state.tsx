import { Image, Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';

import { errorCode, errorMessage, type ErrorContext } from '../api/errors';
import type { Loadable } from '../hooks/use-request';
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

export function ErrorView(props: {
  error: unknown;
  onRetry?: () => void;
  context?: ErrorContext;
  action?: ReactNode;
}) {
  const code = errorCode(props.error);
  return (
    <View className="state" data-testid="state-error">
      <Image className="state__icon state__icon--small" src={failedIcon} />
      <Text className="state__title">{errorMessage(props.error, props.context)}</Text>
      {code ? <Text className="state__code">错误码 {code}</Text> : null}
      <View className="state__action">
        {props.onRetry ? (
          <Button type="primary" size="small" onClick={props.onRetry}>
            重试
          </Button>
        ) : null}
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
}) {
  const { state } = props;
  if (state.status === 'loading') return <LoadingView />;
  if (state.status === 'error')
    return <ErrorView error={state.error} onRetry={props.onRetry} context={props.context} />;
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
