import { Text, View } from '@tarojs/components';
import { ERROR_CODES, formatFen } from '@shop/contract';

import { readAdminConfig } from '../../config';
import './index.css';

// Placeholder dashboard: proves the app renders and that @shop/contract is compiled into the build.
export default function Index() {
  const config = readAdminConfig();
  return (
    <View className="index">
      <Text className="index__title">商家后台</Text>
      <Text className="index__line">错误码 {Object.keys(ERROR_CODES).length} 个</Text>
      <Text className="index__line">示例金额 {formatFen(123450)}</Text>
      <Text className="index__line">API {config.apiBaseUrl}</Text>
    </View>
  );
}
