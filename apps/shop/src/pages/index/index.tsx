import { Text, View } from '@tarojs/components';
import { ERROR_CODES, formatFen } from '@shop/contract';

import { readShopConfig } from '../../config';
import './index.css';

// Placeholder home page: proves the app renders and that @shop/contract is compiled into both targets.
export default function Index() {
  const config = readShopConfig();
  return (
    <View className="index">
      <Text className="index__title">商城</Text>
      <Text className="index__line">错误码 {Object.keys(ERROR_CODES).length} 个</Text>
      <Text className="index__line">示例价格 {formatFen(123450)}</Text>
      <Text className="index__line">API {config.apiBaseUrl}</Text>
    </View>
  );
}
