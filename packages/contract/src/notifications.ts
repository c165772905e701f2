import { z } from 'zod';
import { IsoDateTime, Id } from './common';
import { offsetPage, Page, PageSize } from './admin';

/**
 * Telling people (DESIGN.md, "Telling people"): the events the shop writes to its outbox, the merchant's webhook
 * endpoints and their delivery log, the admin's notification centre, and the shopper's subscription messages.
 */

// ---------------------------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------------------------

export const EVENT_TYPES = [
  'order.paid',
  'order.shipped',
  'refund.succeeded',
  'after_sale.requested',
  'after_sale.decided',
  'reconciliation.differences',
] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

/** What the admin's notification centre and the webhook body call each event, for people. */
export const EVENT_TITLES: Readonly<Record<EventType, string>> = {
  'order.paid': '订单已支付',
  'order.shipped': '订单已发货',
  'refund.succeeded': '退款成功',
  'after_sale.requested': '新的售后申请',
  'after_sale.decided': '售后已处理',
  'reconciliation.differences': '对账发现差异',
};

/** A webhook's body: the event id (receivers drop repeats by it), its type, when it happened, and its data. */
export const WebhookEventBody = z.object({
  id: z.string(),
  type: EventType,
  createdAt: IsoDateTime,
  data: z.record(z.string(), z.unknown()),
});
export type WebhookEventBody = z.infer<typeof WebhookEventBody>;

// ---------------------------------------------------------------------------------------------------------------
// Webhook endpoints (owner)
// ---------------------------------------------------------------------------------------------------------------

const WebhookUrl = z
  .string()
  .trim()
  .max(2000)
  .regex(/^https?:\/\/[^\s/?#@]+(?:[/?#]\S*)?$/i, 'must be an http(s) URL without credentials');

const EventList = z
  .array(EventType)
  .min(1, 'choose at least one event')
  .max(EVENT_TYPES.length)
  .refine((events) => new Set(events).size === events.length, 'must not repeat an event');

const Description = z
  .string()
  .trim()
  .max(200)
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

export const WebhookEndpointBody = z.strictObject({
  url: WebhookUrl,
  events: EventList,
  description: Description.optional(),
});
export type WebhookEndpointBody = z.infer<typeof WebhookEndpointBody>;

export const WebhookEndpointUpdateBody = z
  .strictObject({
    url: WebhookUrl.optional(),
    events: EventList.optional(),
    description: Description.optional(),
    active: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'change at least one field');
export type WebhookEndpointUpdateBody = z.infer<typeof WebhookEndpointUpdateBody>;

export const WebhookEndpointView = z.object({
  id: Id,
  url: z.string(),
  description: z.string(),
  events: z.array(EventType),
  active: z.boolean(),
  /** The last four characters of the current secret, to tell secrets apart; the whole secret is shown only once. */
  secretHint: z.string(),
  /** During a rotation: until when the previous secret still signs beside the new one. */
  previousSecretExpiresAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
  /** Deliveries by status, for the list. */
  deliveries: z.object({ delivered: z.number().int(), pending: z.number().int(), failed: z.number().int() }),
});
export type WebhookEndpointView = z.infer<typeof WebhookEndpointView>;

/** Creating an endpoint or rotating its secret: the endpoint and its new secret, shown this once. */
export const WebhookEndpointWithSecret = z.object({ endpoint: WebhookEndpointView, secret: z.string() });
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecret>;

export const WebhookEndpointList = z.object({ items: z.array(WebhookEndpointView) });
export type WebhookEndpointList = z.infer<typeof WebhookEndpointList>;

export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED', 'SKIPPED'] as const;
export const DeliveryStatus = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const DeliveryAttemptView = z.object({
  number: z.number().int(),
  startedAt: IsoDateTime,
  /** HTTP status the receiver answered with; null when it gave none (network error, timeout, process stopped). */
  statusCode: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  /** ok, http-error, network-error, timeout; null when the try never ended (the process stopped during it). */
  outcome: z.string().nullable(),
  error: z.string().nullable(),
});
export type DeliveryAttemptView = z.infer<typeof DeliveryAttemptView>;

export const WebhookDeliveryView = z.object({
  id: Id,
  eventId: z.string(),
  eventType: EventType,
  status: DeliveryStatus,
  attempts: z.array(DeliveryAttemptView),
  nextAttemptAt: IsoDateTime.nullable(),
  deliveredAt: IsoDateTime.nullable(),
  lastError: z.string().nullable(),
  createdAt: IsoDateTime,
});
export type WebhookDeliveryView = z.infer<typeof WebhookDeliveryView>;

export const WebhookDeliveryQuery = z.strictObject({
  status: DeliveryStatus.optional(),
  page: Page,
  pageSize: PageSize,
});
export type WebhookDeliveryQuery = z.infer<typeof WebhookDeliveryQuery>;

export const WebhookDeliveryList = offsetPage(WebhookDeliveryView);
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryList>;

// ---------------------------------------------------------------------------------------------------------------
// The admin's notification centre
// ---------------------------------------------------------------------------------------------------------------

export const AdminNotificationView = z.object({
  id: z.string(),
  type: EventType,
  title: z.string(),
  /** One line about what happened (order number, amount ...). */
  text: z.string(),
  orderId: z.string().nullable(),
  createdAt: IsoDateTime,
  unread: z.boolean(),
});
export type AdminNotificationView = z.infer<typeof AdminNotificationView>;

export const AdminNotificationQuery = z.strictObject({ page: Page, pageSize: PageSize });
export type AdminNotificationQuery = z.infer<typeof AdminNotificationQuery>;

export const AdminNotificationList = offsetPage(AdminNotificationView).extend({
  unreadCount: z.number().int().min(0),
});
export type AdminNotificationList = z.infer<typeof AdminNotificationList>;

export const AdminNotificationUnread = z.object({ unreadCount: z.number().int().min(0) });
export type AdminNotificationUnread = z.infer<typeof AdminNotificationUnread>;

// ---------------------------------------------------------------------------------------------------------------
// Shopper subscription messages
// ---------------------------------------------------------------------------------------------------------------

export const MESSAGE_KINDS = ['payment', 'shipping', 'refund'] as const;
export const MessageKind = z.enum(MESSAGE_KINDS);
export type MessageKind = z.infer<typeof MessageKind>;

/** The templates the shop asks the shopper to agree to (empty when none is configured). */
export const MessageTemplateList = z.object({
  templates: z.array(z.object({ kind: MessageKind, templateId: z.string(), title: z.string() })),
});
export type MessageTemplateList = z.infer<typeof MessageTemplateList>;

const TemplateId = z.string().regex(/^[A-Za-z0-9_=+/-]{1,128}$/, 'must be a template id');

/** The template ids the shopper accepted (my.requestSubscribeMessage's answer, or the H5 stand-in's). */
export const MessageAgreementBody = z.strictObject({
  templateIds: z
    .array(TemplateId)
    .max(3)
    .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a template'),
});
export type MessageAgreementBody = z.infer<typeof MessageAgreementBody>;

/** Unused agreements by kind: how many more messages of each kind the shopper will get. */
export const MessageAgreementView = z.object({
  remaining: z.object({ payment: z.number().int(), shipping: z.number().int(), refund: z.number().int() }),
});
export type MessageAgreementView = z.infer<typeof MessageAgreementView>;

export const ShopperMessageView = z.object({
  id: z.string(),
  kind: MessageKind,
  title: z.string(),
  lines: z.array(z.object({ label: z.string(), value: z.string() })),
  orderId: z.string().nullable(),
  sentAt: IsoDateTime,
});
export type ShopperMessageView = z.infer<typeof ShopperMessageView>;

export const ShopperMessageList = z.object({ items: z.array(ShopperMessageView) });
export type ShopperMessageList = z.infer<typeof ShopperMessageList>;
