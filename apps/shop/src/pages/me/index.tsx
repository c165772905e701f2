import { Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';

import { api, client, errorMessage } from '../../api';
import { REFUND_TAB_KEY } from '../../lib/orders';
import { go, pages } from '../../lib/routes';
import { Button } from '../../ui';
import walletIcon from '../../assets/icons/order-wallet.png';
import packageIcon from '../../assets/icons/order-package.png';
import truckIcon from '../../assets/icons/order-truck.png';
import doneIcon from '../../assets/icons/order-circle-check.png';
import refundIcon from '../../assets/icons/order-rotate-ccw.png';
import pinIcon from '../../assets/icons/map-pin.png';
import bellIcon from '../../assets/icons/bell.png';
import './index.css';

/** Shortcuts to the orders page's tabs (keys of ORDER_TABS). */
const SHORTCUTS = [
  { tab: 'PENDING_PAYMENT', label: '待付款', icon: walletIcon },
  { tab: 'PAID', label: '待发货', icon: packageIcon },
  { tab: 'SHIPPED', label: '待收货', icon: truckIcon },
  { tab: 'COMPLETED', label: '已完成', icon: doneIcon },
  { tab: REFUND_TAB_KEY, label: '退款/售后', icon: refundIcon },
] as const;

/** Signed in, signing in (Alipay's launch sign-in is still running), or not signed in. */
function useSession() {
  const [user, setUser] = useState(client.user());
  const [signingIn, setSigningIn] = useState(client.isSigningIn());
  useEffect(() => {
    const read = () => {
      setUser(client.user());
      setSigningIn(client.isSigningIn());
    };
    const unsubscribe = client.subscribe(read);
    // A sign-in that ended between this page's first render and this effect told nobody: read it again now.
    read();
    return unsubscribe;
  }, []);
  useDidShow(() => {
    setUser(client.user());
    setSigningIn(client.isSigningIn());
  });
  return { user, signingIn };
}

/**
 * How many subscription messages the signed-in shopper has received (null until known, or when the list did not
 * load: the entry is still there without a number). Asked again whenever 我的 shows.
 */
function useMessageCount(userId: string | undefined): number | null {
  const [count, setCount] = useState<number | null>(null);
  const load = useCallback(() => {
    if (!client.user()) return;
    api.messages().then(
      (list) => setCount(list.items.length),
      () => setCount(null),
    );
  }, []);
  useEffect(() => {
    if (userId) load();
  }, [userId, load]);
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) load();
    shown.current = true;
  });
  return userId ? count : null;
}

/** "我的": who is signed in, orders by status, messages, addresses, sign out. */
export default function MePage() {
  const { user, signingIn } = useSession();
  const [busy, setBusy] = useState(false);
  const messageCount = useMessageCount(user?.id);

  const signIn = () => {
    setBusy(true);
    client
      .signIn()
      .catch((error: unknown) => void Taro.showToast({ title: errorMessage(error), icon: 'none' }))
      .finally(() => setBusy(false));
  };

  const signOut = async () => {
    const answer = await Taro.showModal({
      title: '退出登录',
      content: '确定退出当前账号吗？',
      confirmColor: '#1677ff',
    });
    if (answer.confirm) await client.signOut();
  };

  const name = user?.nickname ?? '支付宝用户';
  return (
    <View className="page me-page">
      <View className="me-hero">
        <View className="me-hero__avatar">{user ? name.slice(0, 1) : '?'}</View>
        <View className="grow">
          {user ? (
            <>
              <Text className="me-hero__name" data-testid="me-name">
                {name}
              </Text>
              <Text className="me-hero__id">用户 ID {user.id.slice(-8)}</Text>
            </>
          ) : (
            <>
              <Text className="me-hero__name" data-testid="me-signed-out">
                {signingIn ? '正在登录…' : '未登录'}
              </Text>
              <Text className="me-hero__id">使用支付宝账号一键登录</Text>
            </>
          )}
        </View>
        {user ? null : (
          <Button
            size="small"
            className="me-hero__login"
            loading={busy}
            data-testid="me-sign-in"
            onClick={signIn}
          >
            登录
          </Button>
        )}
      </View>

      <View className="card me-orders">
        <View
          className="row row--between me-orders__head"
          onClick={() => go(pages.orders())}
          data-testid="me-all-orders"
        >
          <Text className="card__title me-orders__title">我的订单</Text>
          <View className="row muted">
            <Text>全部订单</Text>
            <View className="chevron" />
          </View>
        </View>
        <View className="me-orders__row">
          {SHORTCUTS.map((item) => (
            <View
              key={item.tab}
              className="me-orders__item"
              data-testid={`me-orders-${item.tab}`}
              onClick={() => go(pages.orders(item.tab))}
            >
              <Image className="me-orders__icon" src={item.icon} />
              <Text>{item.label}</Text>
            </View>
          ))}
        </View>
      </View>

      <View className="card me-menu">
        <View className="me-menu__item" data-testid="me-messages" onClick={() => go(pages.messages())}>
          <Image className="me-menu__icon" src={bellIcon} />
          <Text className="grow">消息通知</Text>
          {messageCount !== null ? (
            <Text className="muted" data-testid="me-messages-count">
              {messageCount} 条
            </Text>
          ) : null}
          <View className="chevron" />
        </View>
        <View className="me-menu__item" data-testid="me-addresses" onClick={() => go(pages.addresses())}>
          <Image className="me-menu__icon" src={pinIcon} />
          <Text className="grow">收货地址</Text>
          <View className="chevron" />
        </View>
        {user ? (
          <View className="me-menu__item" data-testid="me-sign-out" onClick={() => void signOut()}>
            <Text className="grow me-menu__danger">退出登录</Text>
          </View>
        ) : null}
      </View>
      <Text className="me-footer">支付宝小店 · 支付由支付宝提供</Text>
    </View>
  );
}
