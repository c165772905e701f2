import { AddressBody, type Address } from '@shop/contract';

/** The address form as typed (every field text), checked with the contract's AddressBody before it is sent. */
export interface AddressDraft {
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
  isDefault: boolean;
}

export type AddressField = Exclude<keyof AddressDraft, 'isDefault'>;

export const EMPTY_DRAFT: AddressDraft = {
  name: '',
  phone: '',
  province: '',
  city: '',
  district: '',
  detail: '',
  isDefault: false,
};

export function draftOf(address: Address): AddressDraft {
  const { name, phone, province, city, district, detail, isDefault } = address;
  return { name, phone, province, city, district, detail, isDefault };
}

const FIELD_MESSAGES: Record<AddressField, string> = {
  name: '请填写收货人姓名（20 字以内）',
  phone: '请填写 11 位手机号码',
  province: '请选择所在地区',
  city: '请选择所在地区',
  district: '请选择所在地区',
  detail: '请填写详细地址（2 到 120 字）',
};

export type AddressCheck =
  | { ok: true; body: AddressBody }
  | { ok: false; errors: Partial<Record<AddressField, string>>; first: string };

/** Checks a draft with the same schema the API uses, and says what is wrong field by field in zh-CN. */
export function checkAddress(draft: AddressDraft): AddressCheck {
  const result = AddressBody.safeParse(draft);
  if (result.success) return { ok: true, body: result.data };
  const errors: Partial<Record<AddressField, string>> = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0];
    if (typeof field === 'string' && field in FIELD_MESSAGES && !errors[field as AddressField]) {
      const known = field as AddressField;
      errors[known] = /control characters/.test(issue.message)
        ? '不能包含特殊控制字符'
        : FIELD_MESSAGES[known];
    }
  }
  const first = Object.values(errors)[0] ?? '请检查收货地址';
  return { ok: false, errors, first };
}

/** "浙江省 杭州市 西湖区 文三路 1 号". */
export function fullAddress(address: Pick<Address, 'province' | 'city' | 'district' | 'detail'>): string {
  return `${address.province} ${address.city} ${address.district} ${address.detail}`;
}

/** "138****0001": phones are shown masked in lists. */
export function maskPhone(phone: string): string {
  return /^\d{11}$/.test(phone) ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone;
}
