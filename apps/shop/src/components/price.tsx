import { Text } from '@tarojs/components';

import { priceParts, priceRangeText } from '../lib/money';
import './price.css';

/** A price from fen: big yuan, small symbol and cents (formatFen underneath). */
export function Price(props: { fen: number; size?: 'sm' | 'md' | 'lg'; muted?: boolean; testId?: string }) {
  const { sign, symbol, yuan, cents } = priceParts(props.fen);
  return (
    <Text
      className={`price price--${props.size ?? 'md'}${props.muted ? ' price--muted' : ''}`}
      data-testid={props.testId}
    >
      <Text className="price__symbol">
        {sign}
        {symbol}
      </Text>
      <Text className="price__yuan">{yuan}</Text>
      <Text className="price__cents">{cents}</Text>
    </Text>
  );
}

/** One price, or "¥59.00 - ¥129.00" when the prices differ. */
export function PriceRange(props: { prices: readonly number[]; size?: 'sm' | 'md' | 'lg'; testId?: string }) {
  const low = Math.min(...props.prices);
  const high = Math.max(...props.prices);
  if (low === high) return <Price fen={low} size={props.size} testId={props.testId} />;
  return (
    <Text className="price-range" data-testid={props.testId} aria-label={priceRangeText(props.prices)}>
      <Price fen={low} size={props.size} />
      <Text className="price-range__dash">-</Text>
      <Price fen={high} size={props.size} />
    </Text>
  );
}
