import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { MessageType, TrackingValue } from '../../../contracts/schemas/chatter';
import { idColumn, nullableJsonText } from '../../db/columns';

export class MessageModel extends Model<InferAttributes<MessageModel>, InferCreationAttributes<MessageModel>> {
  declare id: CreationOptional<number>;
  declare model: string;
  declare resId: number;
  declare type: MessageType;
  declare body: string;
  declare authorId: number | null;
  declare authorPartnerId: number | null;
  declare tracking: TrackingValue[] | null;
  declare emailFrom: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
}

export class FollowerModel extends Model<InferAttributes<FollowerModel>, InferCreationAttributes<FollowerModel>> {
  declare id: CreationOptional<number>;
  declare model: string;
  declare resId: number;
  declare userId: number | null;
  declare partnerId: number | null;
  declare muted: CreationOptional<boolean>;
  /** `u:<userId>` or `p:<partnerId>`: unique per record. */
  declare followerKey: CreationOptional<string>;
  declare createdAt: CreationOptional<Date>;
}

export class NotificationModel extends Model<InferAttributes<NotificationModel>, InferCreationAttributes<NotificationModel>> {
  declare id: CreationOptional<number>;
  declare userId: number;
  declare messageId: number;
  declare reason: 'follower' | 'mention';
  declare isRead: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare message?: MessageModel;
}

/** A file on a record: uploaded for a message (linked when the message is posted) or received by email. */
export class AttachmentModel extends Model<InferAttributes<AttachmentModel>, InferCreationAttributes<AttachmentModel>> {
  declare id: CreationOptional<number>;
  declare model: string | null;
  declare resId: number | null;
  declare messageId: number | null;
  declare inboundId: number | null;
  declare name: string;
  declare mimeType: string;
  declare size: number;
  declare sha256: string;
  declare storageKey: string;
  declare uploadedBy: number | null;
  declare createdAt: CreationOptional<Date>;
}

export function initChatterModels(sequelize: Sequelize): void {
  MessageModel.init(
    {
      id: idColumn,
      model: { type: DataTypes.STRING(20), allowNull: false },
      resId: { type: DataTypes.INTEGER, allowNull: false },
      type: { type: DataTypes.STRING(10), allowNull: false },
      body: { type: DataTypes.TEXT, allowNull: false },
      authorId: { type: DataTypes.INTEGER, allowNull: true },
      authorPartnerId: { type: DataTypes.INTEGER, allowNull: true },
      tracking: nullableJsonText<TrackingValue[]>('tracking'),
      emailFrom: { type: DataTypes.STRING(320), allowNull: true },
      createdAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'messages', updatedAt: false },
  );
  FollowerModel.init(
    {
      id: idColumn,
      model: { type: DataTypes.STRING(20), allowNull: false },
      resId: { type: DataTypes.INTEGER, allowNull: false },
      userId: { type: DataTypes.INTEGER, allowNull: true },
      partnerId: { type: DataTypes.INTEGER, allowNull: true },
      muted: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      followerKey: { type: DataTypes.STRING(30), allowNull: true },
      createdAt: DataTypes.DATE(3),
    },
    {
      sequelize,
      tableName: 'followers',
      updatedAt: false,
      hooks: {
        beforeValidate: (f: FollowerModel) => {
          f.followerKey = f.userId !== null && f.userId !== undefined ? `u:${f.userId}` : `p:${f.partnerId}`;
        },
      },
    },
  );
  NotificationModel.init(
    {
      id: idColumn,
      userId: { type: DataTypes.INTEGER, allowNull: false },
      messageId: { type: DataTypes.INTEGER, allowNull: false },
      reason: { type: DataTypes.STRING(10), allowNull: false },
      isRead: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      createdAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'notifications', updatedAt: false },
  );
  AttachmentModel.init(
    {
      id: idColumn,
      model: { type: DataTypes.STRING(20), allowNull: true },
      resId: { type: DataTypes.INTEGER, allowNull: true },
      messageId: { type: DataTypes.INTEGER, allowNull: true },
      inboundId: { type: DataTypes.INTEGER, allowNull: true },
      name: { type: DataTypes.STRING(255), allowNull: false },
      mimeType: { type: DataTypes.STRING(120), allowNull: false },
      size: { type: DataTypes.INTEGER, allowNull: false },
      sha256: { type: DataTypes.STRING(64), allowNull: false },
      storageKey: { type: DataTypes.STRING(255), allowNull: false },
      uploadedBy: { type: DataTypes.INTEGER, allowNull: true },
      createdAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'attachments', updatedAt: false },
  );
  NotificationModel.belongsTo(MessageModel, { foreignKey: 'messageId', as: 'message' });
}
