import type { Db } from './db';
import type {
  AgreementSource,
  MessageRecord,
  MessageTemplate,
  RemainingAgreements,
  TemplateKeyword,
} from './types';

/** Subscription messages: the templates of each app, buyers' one-time agreements, and the messages sent. */

interface TemplateRow {
  app_id: string;
  template_id: string;
  kind: string;
  title: string;
  keywords: string;
  created_at: number;
  updated_at: number;
}

interface MessageRow {
  id: string;
  app_id: string;
  buyer_user_id: string;
  template_id: string;
  page: string;
  data: string;
  created_at: number;
}

const toTemplate = (row: TemplateRow): MessageTemplate => ({
  appId: row.app_id,
  templateId: row.template_id,
  kind: row.kind,
  title: row.title,
  keywords: JSON.parse(row.keywords) as TemplateKeyword[],
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

const toMessage = (row: MessageRow): MessageRecord => ({
  id: row.id,
  appId: row.app_id,
  buyerUserId: row.buyer_user_id,
  templateId: row.template_id,
  page: row.page,
  data: JSON.parse(row.data) as Record<string, string>,
  createdAt: new Date(row.created_at),
});

export interface NewTemplate {
  appId: string;
  templateId: string;
  kind: string;
  title: string;
  keywords: readonly TemplateKeyword[];
}

export class MessagesRepo {
  constructor(private readonly db: Db) {}

  /** Registers a template for an app, or brings its title and keywords up to date; unchanged ones are left alone. */
  upsertTemplate(template: NewTemplate, now: Date): MessageTemplate {
    this.db
      .prepare(
        `INSERT INTO message_templates (app_id, template_id, kind, title, keywords, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (app_id, template_id) DO UPDATE SET kind = excluded.kind, title = excluded.title,
           keywords = excluded.keywords, updated_at = excluded.updated_at
         WHERE kind IS NOT excluded.kind OR title IS NOT excluded.title OR keywords IS NOT excluded.keywords`,
      )
      .run(
        template.appId,
        template.templateId,
        template.kind,
        template.title,
        JSON.stringify(template.keywords),
        now.getTime(),
        now.getTime(),
      );
    return this.findTemplate(template.appId, template.templateId) as MessageTemplate;
  }

  findTemplate(appId: string, templateId: string): MessageTemplate | undefined {
    const row = this.db
      .prepare('SELECT * FROM message_templates WHERE app_id = ? AND template_id = ?')
      .get(appId, templateId) as TemplateRow | undefined;
    return row && toTemplate(row);
  }

  listTemplates(appId: string): MessageTemplate[] {
    const rows = this.db
      .prepare('SELECT * FROM message_templates WHERE app_id = ? ORDER BY created_at, rowid')
      .all(appId) as TemplateRow[];
    return rows.map(toTemplate);
  }

  /** One unused one-time agreement per entry (an id given twice is two agreements). */
  insertAgreements(
    appId: string,
    buyerUserId: string,
    templateIds: readonly string[],
    source: AgreementSource,
    now: Date,
  ): void {
    const insert = this.db.prepare(
      `INSERT INTO subscription_agreements (app_id, buyer_user_id, template_id, source, created_at)
       VALUES (?, ?, ?, ?, ?)`,
    );
    for (const templateId of templateIds) insert.run(appId, buyerUserId, templateId, source, now.getTime());
  }

  /** Every template of the app, in the order registered, with the buyer's unused agreements for it (0 included). */
  remainingAgreements(appId: string, buyerUserId: string): RemainingAgreements[] {
    const rows = this.db
      .prepare(
        `SELECT t.*, (SELECT count(*) FROM subscription_agreements a
                      WHERE a.app_id = t.app_id AND a.template_id = t.template_id
                        AND a.buyer_user_id = ? AND a.used_at IS NULL) AS remaining
         FROM message_templates t WHERE t.app_id = ? ORDER BY t.created_at, t.rowid`,
      )
      .all(buyerUserId, appId) as Array<TemplateRow & { remaining: number }>;
    return rows.map((row) => ({ template: toTemplate(row), remaining: row.remaining }));
  }

  /**
   * Spends the buyer's oldest unused agreement for the template on a message (a guarded update); false when none is
   * left. Call it in the transaction that inserts the message.
   */
  consumeAgreement(
    appId: string,
    buyerUserId: string,
    templateId: string,
    messageId: string,
    now: Date,
  ): boolean {
    const result = this.db
      .prepare(
        `UPDATE subscription_agreements SET used_at = ?, message_id = ?
         WHERE id = (SELECT id FROM subscription_agreements
                     WHERE app_id = ? AND buyer_user_id = ? AND template_id = ? AND used_at IS NULL
                     ORDER BY id LIMIT 1)
           AND used_at IS NULL`,
      )
      .run(now.getTime(), messageId, appId, buyerUserId, templateId);
    return result.changes === 1;
  }

  insertMessage(message: MessageRecord): void {
    this.db
      .prepare(
        `INSERT INTO messages (id, app_id, buyer_user_id, template_id, page, data, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        message.id,
        message.appId,
        message.buyerUserId,
        message.templateId,
        message.page,
        JSON.stringify(message.data),
        message.createdAt.getTime(),
      );
  }

  /** A buyer's messages, newest first (insertion order breaks ties within a millisecond). */
  listMessagesByBuyer(buyerUserId: string): MessageRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM messages WHERE buyer_user_id = ? ORDER BY created_at DESC, rowid DESC')
      .all(buyerUserId) as MessageRow[];
    return rows.map(toMessage);
  }
}
