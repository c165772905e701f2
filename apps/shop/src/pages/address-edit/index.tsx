import { View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';

import { api, errorMessage, ShopError } from '../../api';
import { AddressForm } from '../../components/address-form';
import { Loaded } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { checkAddress, draftOf, EMPTY_DRAFT, type AddressDraft, type AddressField } from '../../lib/address';
import { back, param } from '../../lib/routes';
import { Button } from '../../ui';
import './index.css';

function Editor(props: { id: string | undefined; initial: AddressDraft }) {
  const [draft, setDraft] = useState(props.initial);
  const [errors, setErrors] = useState<Partial<Record<AddressField, string>>>({});
  const [saving, setSaving] = useState(false);

  const save = async () => {
    const check = checkAddress(draft);
    if (!check.ok) {
      setErrors(check.errors);
      return;
    }
    setSaving(true);
    try {
      if (props.id) await api.updateAddress(props.id, check.body);
      else await api.createAddress(check.body);
      void Taro.showToast({ title: '已保存', icon: 'success' });
      back();
    } catch (error) {
      void Taro.showToast({ title: errorMessage(error), icon: 'none' });
    } finally {
      setSaving(false);
    }
  };

  return (
    <View className="page">
      <View className="card">
        <AddressForm draft={draft} errors={errors} onChange={setDraft} />
      </View>
      <View className="address-edit__actions">
        <Button type="primary" block loading={saving} data-testid="address-save" onClick={() => void save()}>
          保存
        </Button>
      </View>
    </View>
  );
}

/** Add an address, or edit one (`?id=`). */
export default function AddressEditPage() {
  const id = param(useRouter().params.id);
  const address = useRequest(
    () =>
      id
        ? api.addresses().then((list) => {
            const found = list.items.find((a) => a.id === id);
            if (!found) throw new ShopError('这个地址不存在或已删除');
            return draftOf(found);
          })
        : Promise.resolve({ ...EMPTY_DRAFT }),
    [id],
  );
  useEffect(() => {
    void Taro.setNavigationBarTitle({ title: id ? '编辑收货地址' : '新增收货地址' });
  }, [id]);

  return (
    <Loaded state={address.state} onRetry={address.reload}>
      {(initial) => <Editor id={id} initial={initial} />}
    </Loaded>
  );
}
