import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { MailStatus } from '../../../contracts/schemas/mail';
import { idColumn, jsonText, timestampColumns, versionColumn } from '../../db/columns';

/** An attachment as the outbox keeps it: enough to list it; the file itself stays with the chatter. */
export type MailAttachmentRef = { id: number; name: string; mimeType: string; size: number };

export class MailTemplateModel extends Model<InferAttributes<MailTemplateModel>, InferCreationAttributes<MailTemplateModel>> {
  declare id: CreationOptional<number>;
  declare key: string;
  declare subject: string;
  declare body: string;
  declare version: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** One outbound email: written in the transaction that causes it, sent by the send-mail job. */
export class OutboxModel extends Model<InferAttributes<OutboxModel>, InferCreationAttributes<OutboxModel>> {
  declare id: CreationOptional<number>;
  declare key: string;
  declare toAddress: string;
  declare cc: string | null;
  declare fromAddress: string;
  declare replyTo: string | null;
  declare subject: string;
  declare html: string;
  declare text: string;
  declare messageIdHeader: string;
  declare inReplyTo: string | null;
  declare model: string | null;
  declare resId: number | null;
  declare chatterMessageId: number | null;
  declare attachmentIds: MailAttachmentRef[];
  declare status: MailStatus;
  declare attempts: CreationOptional<number>;
  /** 1, then one more per resend: names the send job, so a resend is a new job. */
  declare sends: CreationOptional<number>;
  declare lastError: string | null;
  declare providerId: string | null;
  declare sentAt: Date | null;
  /** Set while a send is under way: still set at the next attempt, that send's outcome is unknown. */
  declare sendingAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** A reply received through the Mailgun route: filed under its record, or waiting in the unassigned inbox. */
export class InboundModel extends Model<InferAttributes<InboundModel>, InferCreationAttributes<InboundModel>> {
  declare id: CreationOptional<number>;
  declare sender: string;
  declare recipient: string;
  declare subject: string;
  declare text: string;
  declare messageIdHeader: string | null;
  declare inReplyTo: string | null;
  declare state: 'unassigned' | 'assigned';
  declare model: string | null;
  declare resId: number | null;
  declare messageId: number | null;
  /** The sender is not among the partners of the record the email names. */
  declare unverifiedSender: CreationOptional<boolean>;
  /** The record the email names, kept when it was not filed there. */
  declare suggestedModel: string | null;
  declare suggestedResId: number | null;
  declare createdAt: CreationOptional<Date>;
}

export class WebhookTokenModel extends Model<InferAttributes<WebhookTokenModel>, InferCreationAttributes<WebhookTokenModel>> {
  declare id: CreationOptional<number>;
  declare source: string;
  declare token: string;
  declare createdAt: CreationOptional<Date>;
}

export function initMailModels(sequelize: Sequelize): void {
  MailTemplateModel.init(
    {
      id: idColumn,
      key: { type: DataTypes.STRING(60), allowNull: false },
      subject: { type: DataTypes.STRING(500), allowNull: false },
      body: { type: DataTypes.TEXT, allowNull: false },
      version: versionColumn,
      ...timestampColumns,
    },
    { sequelize, tableName: 'mail_templates', version: true },
  );
  OutboxModel.init(
    {
      id: idColumn,
      key: { type: DataTypes.STRING(190), allowNull: false },
      toAddress: { type: DataTypes.TEXT, allowNull: false },
      cc: { type: DataTypes.TEXT, allowNull: true },
      fromAddress: { type: DataTypes.STRING(320), allowNull: false },
      replyTo: { type: DataTypes.STRING(320), allowNull: true },
      subject: { type: DataTypes.STRING(500), allowNull: false },
      html: { type: DataTypes.TEXT, allowNull: false },
      text: { type: DataTypes.TEXT, allowNull: false },
      messageIdHeader: { type: DataTypes.STRING(255), allowNull: false },
      inReplyTo: { type: DataTypes.STRING(255), allowNull: true },
      model: { type: DataTypes.STRING(20), allowNull: true },
      resId: { type: DataTypes.INTEGER, allowNull: true },
      chatterMessageId: { type: DataTypes.INTEGER, allowNull: true },
      attachmentIds: jsonText<MailAttachmentRef[]>('attachmentIds', []),
      status: { type: DataTypes.STRING(10), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      sends: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      lastError: { type: DataTypes.TEXT, allowNull: true },
      providerId: { type: DataTypes.STRING(255), allowNull: true },
      sentAt: { type: DataTypes.DATE(3), allowNull: true },
      sendingAt: { type: DataTypes.DATE(3), allowNull: true },
      ...timestampColumns,
    },
    { sequelize, tableName: 'mail_outbox' },
  );
  InboundModel.init(
    {
      id: idColumn,
      sender: { type: DataTypes.STRING(320), allowNull: false },
      recipient: { type: DataTypes.STRING(320), allowNull: false },
      subject: { type: DataTypes.STRING(500), allowNull: false },
      text: { type: DataTypes.TEXT, allowNull: false },
      messageIdHeader: { type: DataTypes.STRING(255), allowNull: true },
      inReplyTo: { type: DataTypes.STRING(255), allowNull: true },
      state: { type: DataTypes.STRING(12), allowNull: false },
      model: { type: DataTypes.STRING(20), allowNull: true },
      resId: { type: DataTypes.INTEGER, allowNull: true },
      messageId: { type: DataTypes.INTEGER, allowNull: true },
      unverifiedSender: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      suggestedModel: { type: DataTypes.STRING(20), allowNull: true },
      suggestedResId: { type: DataTypes.INTEGER, allowNull: true },
      createdAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'mail_inbound', updatedAt: false },
  );
  WebhookTokenModel.init(
    {
      id: idColumn,
      source: { type: DataTypes.STRING(20), allowNull: false },
      token: { type: DataTypes.STRING(190), allowNull: false },
      createdAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'webhook_tokens', updatedAt: false },
  );
}
