import { Input, Switch, Text, Textarea, View } from '@tarojs/components';
import { useState } from 'react';

import type { AddressDraft, AddressField } from '../lib/address';
import { regionText } from '../lib/region';
import { RegionPicker } from './region-picker';
import './address-form.css';

const FIELDS: ReadonlyArray<{
  key: AddressField;
  label: string;
  placeholder: string;
  type?: 'number';
  max: number;
}> = [
  { key: 'name', label: '收货人', placeholder: '收货人姓名', max: 20 },
  { key: 'phone', label: '手机号', placeholder: '手机号码', type: 'number', max: 11 },
];

/**
 * The address fields (controlled: the page keeps the draft and checks it with lib/address.ts). Inputs are named by
 * their placeholders, which tests and screen readers use. The region is chosen in the 省市区 picker, never typed.
 */
export function AddressForm(props: {
  draft: AddressDraft;
  errors?: Partial<Record<AddressField, string>>;
  onChange: (draft: AddressDraft) => void;
  showDefault?: boolean;
}) {
  const { draft, errors = {} } = props;
  const [picking, setPicking] = useState(false);
  const set = (key: AddressField, value: string) => props.onChange({ ...draft, [key]: value });
  const region = regionText(draft);
  const regionError = errors.province ?? errors.city ?? errors.district;
  return (
    <View className="address-form" data-testid="address-form">
      {FIELDS.map((field) => (
        <View key={field.key} className="address-form__row">
          <Text className="address-form__label">{field.label}</Text>
          <View className="grow">
            <Input
              className="field address-form__input"
              data-testid={`address-${field.key}`}
              value={draft[field.key]}
              type={field.type === 'number' ? 'number' : 'text'}
              placeholder={field.placeholder}
              maxlength={field.max}
              onInput={(e) => set(field.key, e.detail.value)}
            />
            {errors[field.key] ? <Text className="address-form__error">{errors[field.key]}</Text> : null}
          </View>
        </View>
      ))}
      <View className="address-form__row">
        <Text className="address-form__label">所在地区</Text>
        <View className="grow">
          <View
            className="address-form__region"
            data-testid="address-region"
            aria-label="所在地区"
            onClick={() => setPicking(true)}
          >
            <Text className={`grow${region ? '' : ' address-form__placeholder'}`}>
              {region || '省、市、区/县'}
            </Text>
            <View className="chevron" />
          </View>
          {regionError ? <Text className="address-form__error">{regionError}</Text> : null}
        </View>
      </View>
      <RegionPicker
        open={picking}
        value={draft}
        onChange={(choice) =>
          props.onChange({
            ...draft,
            province: choice.province.name,
            city: choice.city.name,
            district: choice.district.name,
          })
        }
        onClose={() => setPicking(false)}
      />
      <View className="address-form__row address-form__row--top">
        <Text className="address-form__label">详细地址</Text>
        <View className="grow">
          <Textarea
            className="field address-form__textarea"
            data-testid="address-detail"
            value={draft.detail}
            placeholder="街道、楼牌号等"
            maxlength={120}
            autoHeight
            onInput={(e) => set('detail', e.detail.value)}
          />
          {errors.detail ? <Text className="address-form__error">{errors.detail}</Text> : null}
        </View>
      </View>
      {props.showDefault === false ? null : (
        <View className="address-form__row">
          <Text className="grow">设为默认地址</Text>
          <Switch
            data-testid="address-default"
            checked={draft.isDefault}
            color="#1677ff"
            onChange={(e) => props.onChange({ ...draft, isDefault: e.detail.value })}
          />
        </View>
      )}
    </View>
  );
}
