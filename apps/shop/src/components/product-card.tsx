import type { ProductSummary } from '@shop/contract';
import { Image, Text, View } from '@tarojs/components';

import { photoSrc } from '../lib/images';
import { go, pages } from '../lib/routes';
import { Price } from './price';
import './product-card.css';

/** A product in a two-column grid (home, listings, search). */
export function ProductCard(props: { product: ProductSummary }) {
  const { product } = props;
  return (
    <View
      className={`product-card${product.soldOut ? ' product-card--sold-out' : ''}`}
      data-testid="product-card"
      aria-label={product.title}
      onClick={() => go(pages.product(product.id))}
    >
      <View className="product-card__media">
        <Image
          className="product-card__image"
          src={photoSrc(product.imageUrl, 'list')}
          mode="aspectFill"
          lazyLoad
        />
        {product.soldOut ? <View className="product-card__badge">已售罄</View> : null}
      </View>
      <View className="product-card__body">
        <Text className="product-card__title clamp-2">{product.title}</Text>
        <Text className="product-card__subtitle ellipsis">{product.subtitle}</Text>
        <View className="row row--between product-card__foot">
          <Price fen={product.priceFen} size="sm" />
          <Text className="muted">已售 {product.salesCount}</Text>
        </View>
      </View>
    </View>
  );
}

export function ProductGrid(props: { products: readonly ProductSummary[] }) {
  return (
    <View className="product-grid">
      {props.products.map((product) => (
        <ProductCard key={product.id} product={product} />
      ))}
    </View>
  );
}

/** A product as a compact row (the category page's narrow right column). */
export function ProductRow(props: { product: ProductSummary }) {
  const { product } = props;
  return (
    <View
      className={`product-row${product.soldOut ? ' product-card--sold-out' : ''}`}
      data-testid="product-card"
      aria-label={product.title}
      onClick={() => go(pages.product(product.id))}
    >
      <Image
        className="product-row__image"
        src={photoSrc(product.imageUrl, 'list')}
        mode="aspectFill"
        lazyLoad
      />
      <View className="product-row__body">
        <Text className="product-card__title clamp-2">{product.title}</Text>
        <Text className="product-card__subtitle ellipsis">{product.subtitle}</Text>
        <View className="row row--between">
          <Price fen={product.priceFen} size="sm" />
          <Text className="muted">{product.soldOut ? '已售罄' : `已售 ${product.salesCount}`}</Text>
        </View>
      </View>
    </View>
  );
}
