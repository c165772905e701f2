import type { Cart, CartLine } from '@shop/contract';
import { Image, Text, View } from '@tarojs/components';
import Taro, { stopPullDownRefresh, useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useRef, useState } from 'react';

import { api, client, errorMessage, needsSignIn } from '../../api';
import { Price } from '../../components/price';
import { QuantityStepper } from '../../components/quantity-stepper';
import { EmptyView, ErrorView, LoadingView, SignInView } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { photoSrc } from '../../lib/images';
import { lowStockText } from '../../lib/quantity';
import { go, goTab, pages } from '../../lib/routes';
import { Button, Checkbox } from '../../ui';
import emptyCart from '../../assets/icons/empty-cart.png';
import './index.css';

const REASON_TEXT: Record<NonNullable<CartLine['unavailableReason']>, string> = {
  OUT_OF_STOCK: '已售罄',
  INSUFFICIENT_STOCK: '库存不足',
  PRODUCT_UNAVAILABLE: '已下架',
};

function reasonText(line: CartLine): string {
  if (line.unavailableReason === 'INSUFFICIENT_STOCK') return `库存不足，仅剩 ${line.stock} 件`;
  return line.unavailableReason ? REASON_TEXT[line.unavailableReason] : '';
}

function CartLineView(props: {
  line: CartLine;
  onSelect: (selected: boolean) => void;
  onQuantity: (quantity: number) => void;
  onRemove: () => void;
}) {
  const { line } = props;
  const low = line.available ? lowStockText(line.stock) : null;
  return (
    <View
      className={`cart-line${line.available ? '' : ' cart-line--unavailable'}`}
      data-testid="cart-line"
      aria-label={line.title}
    >
      <View className="cart-line__check">
        <Checkbox
          checked={line.available && line.selected}
          disabled={!line.available}
          onChange={(checked) => props.onSelect(checked)}
        />
      </View>
      <Image
        className="cart-line__image"
        src={photoSrc(line.imageUrl, 'cart')}
        mode="aspectFill"
        onClick={() => go(pages.product(line.productId))}
      />
      <View className="cart-line__body">
        <Text
          className="cart-line__title clamp-2"
          data-testid="cart-line-title"
          onClick={() => go(pages.product(line.productId))}
        >
          {line.title}
        </Text>
        <Text className="cart-line__spec">{line.specText || '默认规格'}</Text>
        {low ? (
          <Text className="cart-line__low" data-testid="cart-line-low-stock">
            {low}
          </Text>
        ) : null}
        {line.available ? null : (
          <View className="row cart-line__reason">
            <Text className="tag tag--grey" data-testid="cart-line-reason">
              {reasonText(line)}
            </Text>
            {line.unavailableReason === 'INSUFFICIENT_STOCK' && line.stock > 0 ? (
              <Text
                className="link cart-line__fix"
                data-testid="cart-line-fix"
                onClick={() => props.onQuantity(line.stock)}
              >
                改为 {line.stock} 件
              </Text>
            ) : null}
          </View>
        )}
        <View className="row row--between cart-line__foot">
          <Price fen={line.unitPriceFen} size="sm" muted={!line.available} testId="cart-line-price" />
          {line.available ? (
            <QuantityStepper value={line.quantity} stock={line.stock} onChange={props.onQuantity} />
          ) : (
            <Text className="muted">x{line.quantity}</Text>
          )}
        </View>
        <Text className="cart-line__remove muted" data-testid="cart-line-remove" onClick={props.onRemove}>
          删除
        </Text>
      </View>
    </View>
  );
}

function CartView(props: { cart: Cart; mutate: (run: () => Promise<Cart>) => void }) {
  const { cart, mutate } = props;
  const available = cart.items.filter((line) => line.available);
  const allSelected = available.length > 0 && available.every((line) => line.selected);

  const remove = (line: CartLine) => {
    void Taro.showModal({
      title: '删除商品',
      content: `确定把“${line.title}”移出购物车吗？`,
      confirmColor: '#1677ff',
    }).then((res) => res.confirm && mutate(() => api.removeCartItem(line.skuId)));
  };

  return (
    <View className="page page--tab-with-bar cart-page">
      <View className="card cart-card">
        {cart.items.map((line) => (
          <CartLineView
            key={line.skuId}
            line={line}
            onSelect={(selected) => mutate(() => api.selectCartItems({ skuIds: [line.skuId], selected }))}
            onQuantity={(quantity) =>
              quantity !== line.quantity && mutate(() => api.setCartItem(line.skuId, { quantity }))
            }
            onRemove={() => remove(line)}
          />
        ))}
      </View>
      <View className="page__fill" />
      <View className="bottom-bar bottom-bar--sticky cart-bar">
        <View
          className="row cart-bar__all"
          data-testid="cart-select-all"
          onClick={() =>
            available.length > 0 &&
            mutate(() =>
              api.selectCartItems({ skuIds: available.map((l) => l.skuId), selected: !allSelected }),
            )
          }
        >
          <Checkbox checked={allSelected} disabled={available.length === 0} />
          <Text>全选</Text>
        </View>
        <View className="cart-bar__total">
          <Text>合计 </Text>
          <Price fen={cart.selectedTotalFen} testId="cart-total" />
        </View>
        <Button
          type="primary"
          className="cart-bar__submit"
          data-testid="cart-checkout"
          disabled={cart.selectedCount === 0}
          onClick={() => go(pages.checkoutFromCart())}
        >
          结算({cart.selectedCount})
        </Button>
      </View>
    </View>
  );
}

/** The cart: select lines, change quantities, remove; totals over selected, available lines (the API's sums). */
export default function CartPage() {
  const cart = useRequest(() => api.cart(), []);
  const [signedOut, setSignedOut] = useState(client.isSignedOut());
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const shown = useRef(false);

  // A tab page stays mounted: show what changed elsewhere (added on a product page, ordered) when it shows again.
  useDidShow(() => {
    setSignedOut(client.isSignedOut());
    if (shown.current) cart.refresh().catch(() => undefined);
    shown.current = true;
  });
  usePullDownRefresh(() => {
    void cart
      .refresh()
      .catch(() => undefined)
      .finally(() => stopPullDownRefresh());
  });

  // Changes run one after another, so quick taps on the stepper reach the API in the order they were made.
  const mutate = (run: () => Promise<Cart>) => {
    queue.current = queue.current.then(run).then(
      (next) => cart.setData(next),
      (error: unknown) => {
        // OUT_OF_STOCK names a skuId: say which line it is.
        const lines = cart.state.status === 'ready' ? cart.state.data.items : [];
        const itemName = (skuId: string) => lines.find((line) => line.skuId === skuId)?.title;
        void Taro.showToast({ title: errorMessage(error, { itemName }), icon: 'none' });
        return cart.refresh().catch(() => undefined);
      },
    );
  };

  const state = cart.state;
  if (state.status === 'loading') return <LoadingView />;
  if (state.status === 'error') {
    if (signedOut || needsSignIn(state.error))
      return <SignInView icon={emptyCart} title="登录后查看购物车" onSignedIn={cart.reload} />;
    return <ErrorView error={state.error} onRetry={cart.reload} />;
  }
  if (state.data.items.length === 0)
    return (
      <EmptyView
        icon={emptyCart}
        title="购物车还是空的"
        hint="去挑几件喜欢的商品吧"
        action={
          <Button type="primary" size="small" onClick={() => goTab('home')}>
            去逛逛
          </Button>
        }
      />
    );
  return <CartView cart={state.data} mutate={mutate} />;
}
