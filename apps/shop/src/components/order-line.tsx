import { Image, Text, View } from '@tarojs/components';

import { photoSrc } from '../lib/images';
import { Price } from './price';
import './order-line.css';

/** One line of an order, as checkout shows it before placing and the order page after: picture, title, spec, price. */
export function OrderLine(props: {
  line: { title: string; specText: string; imageUrl: string; unitPriceFen: number; quantity: number };
  testId: string;
  onClick?: () => void;
}) {
  const { line } = props;
  return (
    <View className="order-line" data-testid={props.testId} aria-label={line.title} onClick={props.onClick}>
      <Image className="order-line__image" src={photoSrc(line.imageUrl, 'cart')} mode="aspectFill" />
      <View className="grow">
        <Text className="order-line__title clamp-2">{line.title}</Text>
        <Text className="muted">{line.specText || '默认规格'}</Text>
      </View>
      <View className="order-line__price">
        <Price fen={line.unitPriceFen} size="sm" muted />
        <Text className="muted">x{line.quantity}</Text>
      </View>
    </View>
  );
}
