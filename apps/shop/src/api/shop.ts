import type {
  AfterSaleCreateBody,
  AfterSaleList,
  AfterSaleReturnBody,
  AfterSaleView,
  ShopInfo,
  UploadResult,
  Address,
  AddressBody,
  AddressList,
  AddressUpdateBody,
  Cart,
  CartItemPutBody,
  CartSelectBody,
  CategoryList,
  MessageAgreementBody,
  MessageAgreementView,
  MessageTemplateList,
  ShopperMessageList,
  OrderCreateBody,
  OrderList,
  OrderStatus,
  OrderView,
  PaymentCreateResponse,
  PaymentQrResponse,
  PaymentWapBody,
  PaymentWapResponse,
  WapReturnResponse,
  ProductDetail,
  ProductList,
  ProductSort,
} from '@shop/contract';

import type { ApiClient } from './client';

/** Every shop endpoint the pages call, typed with the contract's types (apps/api/README.md). */
export interface ProductQuery {
  categoryId?: string;
  q?: string;
  sort?: ProductSort;
  featured?: boolean;
  cursor?: string | null;
  limit?: number;
}

export function shopApi(client: ApiClient) {
  const id = encodeURIComponent;
  return {
    categories: () => client.request<CategoryList>('/api/categories'),
    products: (query: ProductQuery) =>
      client.request<ProductList>('/api/products', {
        query: { ...query, featured: query.featured === undefined ? undefined : String(query.featured) },
      }),
    product: (productId: string) => client.request<ProductDetail>(`/api/products/${id(productId)}`),

    cart: () => client.request<Cart>('/api/cart', { auth: true }),
    setCartItem: (skuId: string, body: CartItemPutBody) =>
      client.request<Cart>(`/api/cart/items/${id(skuId)}`, { method: 'PUT', body, auth: true }),
    removeCartItem: (skuId: string) =>
      client.request<Cart>(`/api/cart/items/${id(skuId)}`, { method: 'DELETE', auth: true }),
    selectCartItems: (body: CartSelectBody) =>
      client.request<Cart>('/api/cart/select', { method: 'POST', body, auth: true }),

    addresses: () => client.request<AddressList>('/api/addresses', { auth: true }),
    createAddress: (body: AddressBody) =>
      client.request<Address>('/api/addresses', { method: 'POST', body, auth: true }),
    updateAddress: (addressId: string, body: AddressUpdateBody) =>
      client.request<Address>(`/api/addresses/${id(addressId)}`, { method: 'PUT', body, auth: true }),
    deleteAddress: (addressId: string) =>
      client.request<void>(`/api/addresses/${id(addressId)}`, { method: 'DELETE', auth: true }),

    createOrder: (body: OrderCreateBody, idempotencyKey: string) =>
      client.request<OrderView>('/api/orders', {
        method: 'POST',
        body,
        headers: { 'Idempotency-Key': idempotencyKey },
        auth: true,
      }),
    orders: (query: { status?: OrderStatus; refunds?: boolean; cursor?: string | null; limit?: number }) =>
      client.request<OrderList>('/api/orders', {
        query: { ...query, refunds: query.refunds === undefined ? undefined : String(query.refunds) },
        auth: true,
      }),
    order: (orderId: string) => client.request<OrderView>(`/api/orders/${id(orderId)}`, { auth: true }),
    cancelOrder: (orderId: string) =>
      client.request<OrderView>(`/api/orders/${id(orderId)}/cancel`, { method: 'POST', auth: true }),
    startWapPayment: (orderId: string, body: PaymentWapBody) =>
      client.request<PaymentWapResponse>(`/api/orders/${id(orderId)}/payment/wap`, {
        method: 'POST',
        body,
        auth: true,
      }),
    startQrPayment: (orderId: string) =>
      client.request<PaymentQrResponse>(`/api/orders/${id(orderId)}/payment/qr`, {
        method: 'POST',
        body: {},
        auth: true,
      }),
    receiveOrder: (orderId: string) =>
      client.request<OrderView>(`/api/orders/${id(orderId)}/receive`, {
        method: 'POST',
        body: {},
        auth: true,
      }),
    verifyWapReturn: (params: Record<string, string>) =>
      client.request<WapReturnResponse>('/api/payments/wap-return', {
        method: 'POST',
        body: { params },
        auth: true,
      }),

    afterSales: (orderId?: string) =>
      client.request<AfterSaleList>('/api/after-sales', { query: { orderId }, auth: true }),
    afterSale: (afterSaleId: string) =>
      client.request<AfterSaleView>(`/api/after-sales/${id(afterSaleId)}`, { auth: true }),
    createAfterSale: (orderId: string, body: AfterSaleCreateBody) =>
      client.request<AfterSaleView>(`/api/orders/${id(orderId)}/after-sales`, {
        method: 'POST',
        body,
        auth: true,
      }),
    cancelAfterSale: (afterSaleId: string) =>
      client.request<AfterSaleView>(`/api/after-sales/${id(afterSaleId)}/cancel`, {
        method: 'POST',
        body: {},
        auth: true,
      }),
    returnAfterSale: (afterSaleId: string, body: AfterSaleReturnBody) =>
      client.request<AfterSaleView>(`/api/after-sales/${id(afterSaleId)}/return`, {
        method: 'POST',
        body,
        auth: true,
      }),
    /** A photo's bytes, sent as they are: the API reads the type from them, not from this header. */
    uploadPhoto: (bytes: ArrayBuffer, contentType: string) =>
      client.request<UploadResult>('/api/uploads', {
        method: 'POST',
        body: bytes,
        headers: { 'Content-Type': contentType },
        auth: true,
      }),
    shopInfo: () => client.request<ShopInfo>('/api/shop-info'),

    /** The subscription message templates the shop asks for at checkout (none when none is configured). */
    messageTemplates: () => client.request<MessageTemplateList>('/api/message-templates'),
    /** The templates the shopper accepted: one message each (Alipay's one-time subscription). */
    agreeToMessages: (body: MessageAgreementBody) =>
      client.request<MessageAgreementView>('/api/me/message-agreements', {
        method: 'POST',
        body,
        auth: true,
      }),
    messages: () => client.request<ShopperMessageList>('/api/me/messages', { auth: true }),

    startPayment: (orderId: string) =>
      client.request<PaymentCreateResponse>(`/api/orders/${id(orderId)}/payment`, {
        method: 'POST',
        auth: true,
      }),
  };
}

export type ShopApi = ReturnType<typeof shopApi>;
