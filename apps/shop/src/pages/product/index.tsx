import type { ProductDetail } from '@shop/contract';
import { Image, Swiper, SwiperItem, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';

import { api, client, errorMessage, ShopError } from '../../api';
import { PriceRange } from '../../components/price';
import { SpecSheet, type SheetMode } from '../../components/spec-sheet';
import { EmptyView, Loaded } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { addToCart } from '../../lib/cart-actions';
import { imageSrc } from '../../lib/images';
import { go, goTab, pages, param } from '../../lib/routes';
import {
  initialSelection,
  missingDimensions,
  pricesFor,
  selectedSku,
  selectionText,
  type SpecSelection,
} from '../../lib/sku';
import { Button } from '../../ui';
import cartIcon from '../../assets/icons/cart-dark.png';
import storeIcon from '../../assets/icons/store.png';
import './index.css';

function ProductView(props: { product: ProductDetail }) {
  const { product } = props;
  const [selection, setSelection] = useState<SpecSelection>(() =>
    initialSelection(product.specs, product.skus),
  );
  const [quantity, setQuantity] = useState(1);
  const [sheet, setSheet] = useState<{ open: boolean; mode: SheetMode }>({ open: false, mode: 'pick' });
  const [busy, setBusy] = useState(false);

  const sku = selectedSku(product.specs, product.skus, selection);
  const missing = missingDimensions(product.specs, selection);
  const soldOut = product.soldOut || product.skus.every((s) => s.stock === 0);

  // Browsing needs no session; buying does. A visitor who taps 加入购物车 or 立即购买 signs in first (on H5 the
  // authorize page brings them back to this product), so the spec they then choose is not lost to a redirect.
  const signedIn = async (): Promise<boolean> => {
    if (client.user()) return true;
    try {
      await client.ensureSignedIn();
      return true;
    } catch (error) {
      void Taro.showToast({ title: errorMessage(error), icon: 'none' });
      return false;
    }
  };

  const needSku = (mode: SheetMode) => {
    if (sku && sku.stock > 0 && sheet.open) return sku;
    if (!sheet.open) setSheet({ open: true, mode });
    else void Taro.showToast({ title: `请选择 ${missing.join(' ')}`, icon: 'none' });
    return null;
  };

  const onAddToCart = async () => {
    if (!(await signedIn())) return;
    const chosen = needSku('cart');
    if (!chosen) return;
    setBusy(true);
    try {
      await addToCart(chosen, quantity);
      setSheet((s) => ({ ...s, open: false }));
      void Taro.showToast({ title: '已加入购物车', icon: 'success' });
    } catch (error) {
      void Taro.showToast({ title: errorMessage(error, { itemName: () => product.title }), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };

  const onBuyNow = async () => {
    if (!(await signedIn())) return;
    const chosen = needSku('buy');
    if (!chosen) return;
    setSheet((s) => ({ ...s, open: false }));
    go(pages.checkoutNow(product.id, chosen.id, Math.min(quantity, chosen.stock)));
  };

  return (
    <View className="page page--with-bar product-page">
      <Swiper
        className="product-swiper"
        indicatorDots={product.images.length > 1}
        indicatorActiveColor="#1677ff"
        circular
      >
        {product.images.map((image) => (
          <SwiperItem key={image}>
            <Image className="product-swiper__image" src={imageSrc(image)} mode="aspectFill" />
          </SwiperItem>
        ))}
      </Swiper>

      <View className="card product-info">
        <View className="row row--between">
          <PriceRange
            prices={sku ? [sku.priceFen] : pricesFor(product.skus, selection)}
            size="lg"
            testId="product-price"
          />
          <Text className="muted">已售 {product.salesCount}</Text>
        </View>
        <Text className="product-info__title" data-testid="product-title">
          {product.title}
        </Text>
        <Text className="product-info__subtitle">{product.subtitle}</Text>
      </View>

      <View className="card product-cells">
        <View
          className="product-cell"
          data-testid="product-spec-cell"
          onClick={() => setSheet({ open: true, mode: 'pick' })}
        >
          <Text className="product-cell__key">{missing.length > 0 ? '选择' : '已选'}</Text>
          <Text className="grow ellipsis">
            {soldOut
              ? '全部规格已售罄，补货中'
              : missing.length > 0
                ? `请选择 ${missing.join(' ')}`
                : `${selectionText(product.specs, selection) || '默认规格'}，${quantity} 件`}
          </Text>
          <View className="chevron" />
        </View>
        <View className="product-cell">
          <Text className="product-cell__key">配送</Text>
          <Text className="grow">快递 免运费</Text>
        </View>
        <View className="product-cell">
          <Text className="product-cell__key">保障</Text>
          <Text className="grow">正品保证 · 支付宝担保交易</Text>
        </View>
      </View>

      <View className="card">
        <Text className="card__title">商品详情</Text>
        <Text className="product-description">{product.description}</Text>
      </View>

      <View className="bottom-bar product-bar">
        <View className="product-bar__icon" onClick={() => goTab('home')}>
          <Image className="product-bar__img" src={storeIcon} />
          <Text>首页</Text>
        </View>
        <View className="product-bar__icon" data-testid="product-go-cart" onClick={() => goTab('cart')}>
          <Image className="product-bar__img" src={cartIcon} />
          <Text>购物车</Text>
        </View>
        {soldOut ? (
          <Button className="product-bar__sold-out" disabled block>
            已售罄
          </Button>
        ) : (
          <View className="product-bar__buttons">
            <Button
              className="product-bar__cart"
              data-testid="product-add-to-cart"
              onClick={() => void onAddToCart()}
            >
              加入购物车
            </Button>
            <Button
              className="product-bar__buy"
              type="primary"
              data-testid="product-buy-now"
              onClick={() => void onBuyNow()}
            >
              立即购买
            </Button>
          </View>
        )}
      </View>

      <SpecSheet
        product={product}
        open={sheet.open}
        mode={sheet.mode}
        selection={selection}
        quantity={quantity}
        busy={busy}
        onSelection={(next) => {
          setSelection(next);
          setQuantity(1);
        }}
        onQuantity={setQuantity}
        onClose={() => setSheet((s) => ({ ...s, open: false }))}
        onAddToCart={() => void onAddToCart()}
        onBuyNow={() => void onBuyNow()}
      />
    </View>
  );
}

/** Product detail: pictures, price (a range until a spec is chosen), specs, quantity, add to cart, buy now. */
export default function ProductPage() {
  const id = param(useRouter().params.id);
  const product = useRequest(
    () => (id ? api.product(id) : Promise.reject(new ShopError('没有指定商品'))),
    [id],
  );

  useEffect(() => {
    if (product.state.status === 'ready')
      void Taro.setNavigationBarTitle({ title: product.state.data.title });
  }, [product.state]);

  if (!id) return <EmptyView title="没有指定商品" />;
  return (
    <Loaded state={product.state} onRetry={product.reload}>
      {(data) => <ProductView product={data} />}
    </Loaded>
  );
}
