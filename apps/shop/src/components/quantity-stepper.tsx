import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useRef } from 'react';

import { maxQuantity, quantityLimitText } from '../lib/quantity';
import { InputNumber } from '../ui';

/**
 * NutUI's stepper bounded by the stock and the per-line limit, which says why when a tap goes past either end
 * (库存不足，仅剩 N 件 / 每件商品最多购买 99 件 / 至少购买 1 件) instead of stopping without a word. NutUI reports
 * both ends through one `onOverlimit`, so the direction of the last tap tells them apart.
 */
export function QuantityStepper(props: {
  value: number;
  stock: number;
  disabled?: boolean;
  testId?: string;
  onChange: (quantity: number) => void;
}) {
  const direction = useRef<'plus' | 'minus'>('plus');
  const max = maxQuantity(props.stock);
  // NutUI's stepper drops unknown props: the test id goes on a wrapper.
  return (
    <View data-testid={props.testId}>
      <InputNumber
        value={Math.min(props.value, max)}
        min={1}
        max={max}
        readOnly
        disabled={props.disabled}
        onPlus={() => {
          direction.current = 'plus';
        }}
        onMinus={() => {
          direction.current = 'minus';
        }}
        onOverlimit={() =>
          void Taro.showToast({ title: quantityLimitText(direction.current, props.stock), icon: 'none' })
        }
        onChange={(value) => props.onChange(Number(value))}
      />
    </View>
  );
}
