import { DEV_MESSAGE_TEMPLATES } from '@shop/dev-identity';
import type { Deps } from '../deps';
import { BusinessError } from '../errors';
import { newMessageId } from '../ids';
import type { AgreementSource, MessageRecord, MessageTemplate, RemainingAgreements } from '../store/types';
import { readMessageData } from './message-data';

/**
 * Mini-program subscription messages (订阅消息, https://opendocs.alipay.com/mini/api/requestSubscribeMessage): an app
 * registers templates; a buyer agrees to some of them in the mini-program (my.requestSubscribeMessage; here the
 * subscribe page or the control API); each one-time agreement lets the app send that buyer one message of that
 * template with alipay.open.app.mini.templatemessage.send. The sandbox keeps what it received so people and tests can
 * read it.
 */

/** Registers the development templates for the app the sandbox registers at start; running it again changes nothing. */
export function registerDevTemplates(deps: Deps): MessageTemplate[] {
  const now = deps.clock.now();
  return deps.store.transaction(() =>
    DEV_MESSAGE_TEMPLATES.map((template) =>
      deps.store.messages.upsertTemplate(
        {
          appId: deps.config.appId,
          templateId: template.id,
          kind: template.kind,
          title: template.title,
          keywords: template.keywords,
        },
        now,
      ),
    ),
  );
}

export interface AgreementInput {
  appId: string;
  buyerUserId: string;
  /** Templates registered for the app (callers check); an id given twice is two agreements. */
  templateIds: readonly string[];
  source: AgreementSource;
}

/** Records one one-time agreement per template id, and answers what the buyer has left per template. */
export function grantAgreements(deps: Deps, input: AgreementInput): RemainingAgreements[] {
  const { store } = deps;
  const remaining = store.transaction(() => {
    store.messages.insertAgreements(
      input.appId,
      input.buyerUserId,
      input.templateIds,
      input.source,
      deps.clock.now(),
    );
    return store.messages.remainingAgreements(input.appId, input.buyerUserId);
  });
  deps.logger.info(
    {
      appId: input.appId,
      buyerUserId: input.buyerUserId,
      templateIds: input.templateIds,
      source: input.source,
    },
    'subscription agreements recorded',
  );
  return remaining;
}

export interface SendMessageInput {
  appId: string;
  /** `to_user_id`; wins over toOpenId when both are given. */
  toUserId?: string | undefined;
  toOpenId?: string | undefined;
  templateId: string;
  page: string;
  /** The `data` JSON string as the app sent it. */
  data: string;
}

/**
 * alipay.open.app.mini.templatemessage.send's business rules, in order: the buyer exists, the template is one the
 * app registered, `data` matches the template, and the buyer has an unused agreement for it. The agreement is spent
 * in the transaction that records the message, so one agreement allows exactly one message even when sends race.
 * Sub codes are the sandbox's choices (see the README): Alipay documents none for this method.
 */
export function sendTemplateMessage(deps: Deps, input: SendMessageInput): MessageRecord {
  const { store } = deps;
  const buyer = input.toUserId
    ? store.accounts.findBuyer(input.toUserId)
    : store.accounts.findBuyerByOpenId(input.toOpenId ?? '');
  if (!buyer) {
    throw new BusinessError(
      'USER_NOT_EXIST',
      input.toUserId
        ? `用户不存在：to_user_id ${input.toUserId}`
        : `用户不存在：to_open_id ${input.toOpenId}`,
    );
  }
  const template = store.messages.findTemplate(input.appId, input.templateId);
  if (!template) {
    throw new BusinessError(
      'USER_TEMPLATE_ID_NOT_EXIST',
      `模板不存在：user_template_id ${input.templateId} 不是该应用领用的消息模板`,
    );
  }
  const data = readMessageData(input.data, template.keywords);
  if (!data.ok) throw new BusinessError('INVALID_DATA', `data 参数无效：${data.problem}`);

  const message: MessageRecord = {
    id: newMessageId(),
    appId: input.appId,
    buyerUserId: buyer.userId,
    templateId: template.templateId,
    page: input.page,
    data: data.values,
    createdAt: deps.clock.now(),
  };
  store.transaction(() => {
    store.messages.insertMessage(message);
    if (
      !store.messages.consumeAgreement(
        message.appId,
        message.buyerUserId,
        message.templateId,
        message.id,
        message.createdAt,
      )
    ) {
      // Throwing rolls the message back: nothing is delivered without an agreement.
      throw new BusinessError(
        'USER_NOT_SUBSCRIBED',
        '用户未订阅该消息模板，或一次性订阅的次数已用完：每次同意只能发送一条消息',
      );
    }
  });
  deps.logger.info(
    {
      appId: message.appId,
      buyerUserId: message.buyerUserId,
      templateId: message.templateId,
      messageId: message.id,
    },
    'template message delivered',
  );
  return message;
}

export interface ReceivedMessage {
  message: MessageRecord;
  template: MessageTemplate;
}

/** What a buyer received, newest first, with the template each message was sent under. */
export function receivedMessages(deps: Deps, buyerUserId: string): ReceivedMessage[] {
  return deps.store.messages.listMessagesByBuyer(buyerUserId).map((message) => ({
    message,
    // A message's template always exists: the schema refers to it and templates are never deleted.
    template: deps.store.messages.findTemplate(message.appId, message.templateId) as MessageTemplate,
  }));
}
