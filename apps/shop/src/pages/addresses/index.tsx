import type { Address } from '@shop/contract';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useRef } from 'react';

import { api, errorMessage } from '../../api';
import { EmptyView, Loaded } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { draftOf, fullAddress, maskPhone } from '../../lib/address';
import { go, pages } from '../../lib/routes';
import { Button } from '../../ui';
import emptyPin from '../../assets/icons/empty-pin.png';
import './index.css';

/** The shopper's addresses: the default first, set default, edit, delete, add. */
export default function AddressesPage() {
  const list = useRequest(() => api.addresses().then((data) => data.items), []);
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) list.refresh().catch(() => undefined);
    shown.current = true;
  });

  const act = (run: () => Promise<unknown>, done: string) => {
    run().then(
      () => {
        void Taro.showToast({ title: done, icon: 'success' });
        list.refresh().catch(() => undefined);
      },
      (error: unknown) => void Taro.showToast({ title: errorMessage(error), icon: 'none' }),
    );
  };

  const makeDefault = (address: Address) =>
    act(() => api.updateAddress(address.id, { ...draftOf(address), isDefault: true }), '已设为默认');

  const remove = (address: Address) => {
    void Taro.showModal({
      title: '删除地址',
      content: `确定删除 ${address.name} 的这个地址吗？`,
      confirmColor: '#1677ff',
    }).then((res) => res.confirm && act(() => api.deleteAddress(address.id), '已删除'));
  };

  return (
    <View className="page page--with-bar addresses-page">
      <Loaded state={list.state} onRetry={list.reload}>
        {(addresses) =>
          addresses.length === 0 ? (
            <EmptyView icon={emptyPin} title="还没有收货地址" hint="添加一个，下单更快" />
          ) : (
            <View data-testid="address-list">
              {[...addresses]
                .sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
                .map((address) => (
                  <View
                    key={address.id}
                    className="card address-card"
                    data-testid="address-card"
                    aria-label={address.name}
                  >
                    <View className="row">
                      <Text className="address-card__name">{address.name}</Text>
                      <Text className="muted">{maskPhone(address.phone)}</Text>
                      {address.isDefault ? <Text className="tag address-card__tag">默认</Text> : null}
                    </View>
                    <Text className="address-card__line">{fullAddress(address)}</Text>
                    <View className="row row--between address-card__actions">
                      <Text
                        className={address.isDefault ? 'muted' : 'link'}
                        onClick={() => !address.isDefault && makeDefault(address)}
                      >
                        {address.isDefault ? '默认地址' : '设为默认'}
                      </Text>
                      <View className="row">
                        <Text
                          className="address-card__action"
                          onClick={() => go(pages.addressEdit(address.id))}
                        >
                          编辑
                        </Text>
                        <Text className="address-card__action" onClick={() => remove(address)}>
                          删除
                        </Text>
                      </View>
                    </View>
                  </View>
                ))}
            </View>
          )
        }
      </Loaded>
      <View className="bottom-bar">
        <Button type="primary" block data-testid="address-add" onClick={() => go(pages.addressEdit())}>
          新增收货地址
        </Button>
      </View>
    </View>
  );
}
