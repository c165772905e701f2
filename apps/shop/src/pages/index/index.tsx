import { useState } from 'react';
import { View } from '@tarojs/components';
import { ERROR_CODES, formatFen } from '@shop/contract';

import { readShopConfig } from '../../config';
import { Button, Cell, Dialog } from '../../ui';
import './index.css';

// Placeholder home page: proves the app renders, that @shop/contract is compiled into both targets and that the
// component library (Cell, Button, Dialog) builds for both.
export default function Index() {
  const config = readShopConfig();
  const [aboutOpen, setAboutOpen] = useState(false);
  return (
    <View className="index">
      <Cell.Group title="商城">
        <Cell title="错误码" extra={`${Object.keys(ERROR_CODES).length} 个`} />
        <Cell title="示例价格" extra={formatFen(123450)} />
        <Cell title="API" extra={config.apiBaseUrl} />
      </Cell.Group>
      <View className="index__actions">
        <Button type="primary" block onClick={() => setAboutOpen(true)}>
          关于
        </Button>
      </View>
      <Dialog
        visible={aboutOpen}
        title="商城"
        content="支付宝小程序商城（开发中）"
        hideCancelButton
        onConfirm={() => setAboutOpen(false)}
        onClose={() => setAboutOpen(false)}
      />
    </View>
  );
}
