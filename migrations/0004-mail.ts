import { DataTypes, type QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

// The mail module (templates, outbox, inbound replies), chatter attachments, mute and email preference.
export async function up({ context: q }: Ctx): Promise<void> {
  // Email bodies can be long: MEDIUMTEXT on MySQL (SQLite's TEXT has no size).
  const longText = q.sequelize.getDialect() === 'mysql' ? DataTypes.TEXT('medium') : DataTypes.TEXT;
  await q.addColumn('users', 'notifyByEmail', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
  await q.addColumn('followers', 'muted', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
  await q.addColumn('messages', 'emailFrom', { type: DataTypes.STRING(320), allowNull: true });

  await q.createTable('attachments', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    model: { type: DataTypes.STRING(20), allowNull: true },
    resId: { type: DataTypes.INTEGER, allowNull: true },
    messageId: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'messages', key: 'id' }, onDelete: 'SET NULL' },
    inboundId: { type: DataTypes.INTEGER, allowNull: true },
    name: { type: DataTypes.STRING(255), allowNull: false },
    mimeType: { type: DataTypes.STRING(120), allowNull: false },
    size: { type: DataTypes.INTEGER, allowNull: false },
    sha256: { type: DataTypes.STRING(64), allowNull: false },
    storageKey: { type: DataTypes.STRING(255), allowNull: false },
    uploadedBy: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await q.addIndex('attachments', ['messageId'], { name: 'attachments_message' });
  await q.addIndex('attachments', ['model', 'resId'], { name: 'attachments_record' });

  await q.createTable('mail_templates', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    key: { type: DataTypes.STRING(60), allowNull: false },
    subject: { type: DataTypes.STRING(500), allowNull: false },
    body: { type: DataTypes.TEXT, allowNull: false },
    version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
    updatedAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await q.addIndex('mail_templates', ['key'], { unique: true, name: 'mail_templates_key_unique' });

  await q.createTable('mail_outbox', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    key: { type: DataTypes.STRING(190), allowNull: false },
    toAddress: { type: DataTypes.TEXT, allowNull: false },
    cc: { type: DataTypes.TEXT, allowNull: true },
    fromAddress: { type: DataTypes.STRING(320), allowNull: false },
    replyTo: { type: DataTypes.STRING(320), allowNull: true },
    subject: { type: DataTypes.STRING(500), allowNull: false },
    html: { type: longText, allowNull: false },
    text: { type: longText, allowNull: false },
    messageIdHeader: { type: DataTypes.STRING(255), allowNull: false },
    inReplyTo: { type: DataTypes.STRING(255), allowNull: true },
    model: { type: DataTypes.STRING(20), allowNull: true },
    resId: { type: DataTypes.INTEGER, allowNull: true },
    chatterMessageId: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'messages', key: 'id' }, onDelete: 'SET NULL' },
    attachmentIds: { type: DataTypes.TEXT, allowNull: false },
    status: { type: DataTypes.STRING(10), allowNull: false },
    attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    sends: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
    lastError: { type: DataTypes.TEXT, allowNull: true },
    providerId: { type: DataTypes.STRING(255), allowNull: true },
    sentAt: { type: DataTypes.DATE(3), allowNull: true },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
    updatedAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await q.addIndex('mail_outbox', ['key'], { unique: true, name: 'mail_outbox_key_unique' });
  await q.addIndex('mail_outbox', ['messageIdHeader'], { name: 'mail_outbox_message_id' });
  await q.addIndex('mail_outbox', ['status', 'id'], { name: 'mail_outbox_status' });

  await q.createTable('mail_inbound', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    sender: { type: DataTypes.STRING(320), allowNull: false },
    recipient: { type: DataTypes.STRING(320), allowNull: false },
    subject: { type: DataTypes.STRING(500), allowNull: false },
    text: { type: longText, allowNull: false },
    messageIdHeader: { type: DataTypes.STRING(255), allowNull: true },
    inReplyTo: { type: DataTypes.STRING(255), allowNull: true },
    state: { type: DataTypes.STRING(12), allowNull: false },
    model: { type: DataTypes.STRING(20), allowNull: true },
    resId: { type: DataTypes.INTEGER, allowNull: true },
    messageId: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'messages', key: 'id' }, onDelete: 'SET NULL' },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await q.addIndex('mail_inbound', ['state', 'id'], { name: 'mail_inbound_state' });

  // Mailgun webhook tokens already seen: a replayed delivery is refused.
  await q.createTable('webhook_tokens', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    source: { type: DataTypes.STRING(20), allowNull: false },
    token: { type: DataTypes.STRING(190), allowNull: false },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await q.addIndex('webhook_tokens', ['source', 'token'], { unique: true, name: 'webhook_tokens_unique' });
}

export async function down({ context: q }: Ctx): Promise<void> {
  await q.dropTable('webhook_tokens');
  await q.dropTable('mail_inbound');
  await q.dropTable('mail_outbox');
  await q.dropTable('mail_templates');
  await q.dropTable('attachments');
  await q.removeColumn('messages', 'emailFrom');
  await q.removeColumn('followers', 'muted');
  await q.removeColumn('users', 'notifyByEmail');
}
