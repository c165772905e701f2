import type { ProductDetail } from '@shop/contract';
import { Image, Text, View } from '@tarojs/components';

import { imageSrc } from '../lib/images';
import {
  missingDimensions,
  pricesFor,
  selectedSku,
  specAvailability,
  stockFor,
  toggleSpec,
  type SpecSelection,
} from '../lib/sku';
import { lowStockText } from '../lib/quantity';
import { Button, Popup } from '../ui';
import { PriceRange } from './price';
import { QuantityStepper } from './quantity-stepper';
import './spec-sheet.css';

export type SheetMode = 'pick' | 'cart' | 'buy';

/** The API draws image i in the colour of the i-th 颜色 (or 色号) value, so the chosen colour picks the picture. */
function pictureIndex(product: ProductDetail, selection: SpecSelection): number {
  const colour = product.specs.find((d) => d.name === '颜色' || d.name === '色号');
  const chosen = colour ? selection[colour.name] : undefined;
  if (!colour || chosen === undefined || product.images.length === 0) return 0;
  return Math.max(0, colour.values.indexOf(chosen)) % product.images.length;
}

/**
 * The bottom sheet for choosing specs and quantity. Which values can be tapped comes from lib/sku.ts: sold-out
 * values and combinations the product does not sell are disabled. The quantity is bounded by the chosen SKU's
 * stock (and the per-line limit).
 */
export function SpecSheet(props: {
  product: ProductDetail;
  open: boolean;
  mode: SheetMode;
  selection: SpecSelection;
  quantity: number;
  busy: boolean;
  onSelection: (selection: SpecSelection) => void;
  onQuantity: (quantity: number) => void;
  onClose: () => void;
  onAddToCart: () => void;
  onBuyNow: () => void;
}) {
  const { product, selection } = props;
  const dims = product.specs;
  const sku = selectedSku(dims, product.skus, selection);
  const missing = missingDimensions(dims, selection);
  const stock = sku ? sku.stock : stockFor(product.skus, selection);
  const low = lowStockText(stock);
  const imageIndex = pictureIndex(product, selection);

  const actions =
    props.mode === 'pick' ? (
      <View className="spec-sheet__actions">
        <Button
          className="spec-sheet__button"
          fill="outline"
          type="primary"
          disabled={props.busy}
          onClick={props.onAddToCart}
        >
          加入购物车
        </Button>
        <Button className="spec-sheet__button" type="primary" disabled={props.busy} onClick={props.onBuyNow}>
          立即购买
        </Button>
      </View>
    ) : (
      <View className="spec-sheet__actions">
        <Button
          className="spec-sheet__button"
          type="primary"
          block
          loading={props.busy}
          disabled={props.busy}
          data-testid="spec-confirm"
          onClick={props.mode === 'cart' ? props.onAddToCart : props.onBuyNow}
        >
          {props.mode === 'cart' ? '确定加入购物车' : '确定购买'}
        </Button>
      </View>
    );

  return (
    <Popup visible={props.open} position="bottom" round closeable onClose={props.onClose}>
      <View className="spec-sheet" data-testid="spec-sheet">
        <View className="spec-sheet__head">
          <Image
            className="spec-sheet__image"
            src={imageSrc(product.images[imageIndex] ?? '')}
            mode="aspectFill"
          />
          <View className="spec-sheet__summary">
            <PriceRange
              prices={sku ? [sku.priceFen] : pricesFor(product.skus, selection)}
              size="lg"
              testId="spec-price"
            />
            <Text className="muted">{sku ? `库存 ${sku.stock} 件` : `共 ${stock} 件可售`}</Text>
            <Text className="spec-sheet__chosen">
              {missing.length > 0
                ? `请选择 ${missing.join(' ')}`
                : `已选 ${sku ? Object.values(sku.specs).join(' / ') || '默认规格' : ''}`}
            </Text>
          </View>
        </View>
        <View className="spec-sheet__body">
          {specAvailability(dims, product.skus, selection).map((dimension) => (
            <View key={dimension.name} className="spec-sheet__dimension">
              <Text className="spec-sheet__label">{dimension.name}</Text>
              <View className="spec-sheet__values">
                {dimension.values.map((value) => (
                  <View
                    key={value.value}
                    className={`spec-chip${value.selected ? ' spec-chip--selected' : ''}${value.selectable || value.selected ? '' : ' spec-chip--disabled'}`}
                    data-testid="spec-option"
                    aria-label={`${dimension.name} ${value.value}`}
                    aria-selected={value.selected}
                    aria-disabled={!value.selectable && !value.selected}
                    onClick={() =>
                      props.onSelection(
                        toggleSpec(dims, product.skus, selection, dimension.name, value.value),
                      )
                    }
                  >
                    {value.value}
                  </View>
                ))}
              </View>
            </View>
          ))}
          <View className="row row--between spec-sheet__quantity">
            <Text className="spec-sheet__label">数量</Text>
            <QuantityStepper
              testId="quantity-stepper"
              value={props.quantity}
              stock={stock}
              disabled={stock === 0}
              onChange={props.onQuantity}
            />
          </View>
          {low ? (
            <Text className="spec-sheet__low" data-testid="spec-low-stock">
              {low}，抓紧下单
            </Text>
          ) : null}
        </View>
        {actions}
      </View>
    </Popup>
  );
}
