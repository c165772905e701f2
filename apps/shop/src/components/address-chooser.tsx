import type { Address } from '@shop/contract';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';

import { api, errorMessage } from '../api';
import {
  checkAddress,
  draftOf,
  EMPTY_DRAFT,
  fullAddress,
  maskPhone,
  type AddressDraft,
  type AddressField,
} from '../lib/address';
import { Button, Popup } from '../ui';
import { AddressForm } from './address-form';
import './address-chooser.css';

type Editing = { kind: 'list' } | { kind: 'new' } | { kind: 'edit'; id: string };

/** Checkout's address sheet: pick one, edit one, or add one without leaving the checkout. */
export function AddressChooser(props: {
  open: boolean;
  addresses: readonly Address[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onSaved: (address: Address) => void;
  onClose: () => void;
}) {
  const [editing, setEditing] = useState<Editing>({ kind: 'list' });
  const [draft, setDraft] = useState<AddressDraft>(EMPTY_DRAFT);
  const [errors, setErrors] = useState<Partial<Record<AddressField, string>>>({});
  const [saving, setSaving] = useState(false);

  const close = () => {
    setEditing({ kind: 'list' });
    props.onClose();
  };

  const startEdit = (next: Editing, from: AddressDraft) => {
    setDraft(from);
    setErrors({});
    setEditing(next);
  };

  const save = async () => {
    const check = checkAddress(draft);
    if (!check.ok) {
      setErrors(check.errors);
      return;
    }
    setSaving(true);
    try {
      const saved =
        editing.kind === 'edit'
          ? await api.updateAddress(editing.id, check.body)
          : await api.createAddress(check.body);
      // 保存并使用: the saved address is the one in use, and the sheet closes on it.
      props.onSaved(saved);
      close();
    } catch (error) {
      void Taro.showToast({ title: errorMessage(error), icon: 'none' });
    } finally {
      setSaving(false);
    }
  };

  const title =
    editing.kind === 'list' ? '选择收货地址' : editing.kind === 'new' ? '新增收货地址' : '编辑收货地址';
  return (
    <Popup visible={props.open} position="bottom" round closeable title={title} onClose={close}>
      <View className="address-chooser" data-testid="address-chooser">
        {editing.kind === 'list' ? (
          <>
            <View className="address-chooser__list">
              {props.addresses.map((address) => (
                <View
                  key={address.id}
                  className={`address-option${address.id === props.selectedId ? ' address-option--selected' : ''}`}
                  data-testid="address-option"
                  onClick={() => {
                    props.onSelect(address.id);
                    close();
                  }}
                >
                  <View className="grow">
                    <View className="row">
                      <Text className="address-option__name">{address.name}</Text>
                      <Text className="muted">{maskPhone(address.phone)}</Text>
                      {address.isDefault ? <Text className="tag address-option__tag">默认</Text> : null}
                    </View>
                    <Text className="address-option__line">{fullAddress(address)}</Text>
                  </View>
                  <Text
                    className="link address-option__edit"
                    onClick={(e) => {
                      e.stopPropagation();
                      startEdit({ kind: 'edit', id: address.id }, draftOf(address));
                    }}
                  >
                    编辑
                  </Text>
                </View>
              ))}
            </View>
            <Button
              type="primary"
              block
              data-testid="address-new"
              onClick={() => startEdit({ kind: 'new' }, EMPTY_DRAFT)}
            >
              新增收货地址
            </Button>
          </>
        ) : (
          <>
            <View className="address-chooser__form">
              <AddressForm draft={draft} errors={errors} onChange={setDraft} />
            </View>
            <View className="row address-chooser__actions">
              <Button className="grow" onClick={() => setEditing({ kind: 'list' })}>
                返回
              </Button>
              <Button
                className="grow"
                type="primary"
                loading={saving}
                data-testid="address-save"
                onClick={() => void save()}
              >
                保存并使用
              </Button>
            </View>
          </>
        )}
      </View>
    </Popup>
  );
}
