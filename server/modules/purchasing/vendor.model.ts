import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { VendorNotificationStatus } from '../../../contracts/states';
import { idColumn, timestampColumns } from '../../db/columns';

/** A signed JSON notification to a vendor's order endpoint: written with its cause, sent by a job. */
export class VendorNotificationModel extends Model<InferAttributes<VendorNotificationModel>, InferCreationAttributes<VendorNotificationModel>> {
  declare id: CreationOptional<number>;
  /** The idempotency key (the Idempotency-Key header): the receiver acts on each key once. */
  declare key: string;
  declare purchaseOrderId: number;
  declare partnerId: number;
  declare event: string;
  /** The exact JSON sent (and signed), the same bytes on every attempt. */
  declare payload: string;
  declare status: VendorNotificationStatus;
  declare attempts: CreationOptional<number>;
  /** Rounds of attempts (a failed notification sent again starts a new round). */
  declare sends: CreationOptional<number>;
  declare lastError: CreationOptional<string | null>;
  declare responseStatus: CreationOptional<number | null>;
  declare sendingAt: CreationOptional<Date | null>;
  declare sentAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** A vendor portal link: one document, until it expires or is revoked. */
export class PortalTokenModel extends Model<InferAttributes<PortalTokenModel>, InferCreationAttributes<PortalTokenModel>> {
  declare id: CreationOptional<number>;
  declare purchaseOrderId: number;
  declare partnerId: number;
  declare expiresAt: Date;
  declare revokedAt: CreationOptional<Date | null>;
  declare revokedById: CreationOptional<number | null>;
  declare lastUsedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initVendorModels(sequelize: Sequelize): void {
  VendorNotificationModel.init(
    {
      id: idColumn,
      key: { type: DataTypes.STRING(120), allowNull: false },
      purchaseOrderId: { type: DataTypes.INTEGER, allowNull: false },
      partnerId: { type: DataTypes.INTEGER, allowNull: false },
      event: { type: DataTypes.STRING(40), allowNull: false },
      payload: { type: DataTypes.TEXT, allowNull: false },
      status: { type: DataTypes.STRING(10), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      sends: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      lastError: { type: DataTypes.TEXT, allowNull: true },
      responseStatus: { type: DataTypes.INTEGER, allowNull: true },
      sendingAt: { type: DataTypes.DATE(3), allowNull: true },
      sentAt: { type: DataTypes.DATE(3), allowNull: true },
      ...timestampColumns,
    },
    { sequelize, tableName: 'vendor_notifications' },
  );
  PortalTokenModel.init(
    {
      id: idColumn,
      purchaseOrderId: { type: DataTypes.INTEGER, allowNull: false },
      partnerId: { type: DataTypes.INTEGER, allowNull: false },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      revokedAt: { type: DataTypes.DATE(3), allowNull: true },
      revokedById: { type: DataTypes.INTEGER, allowNull: true },
      lastUsedAt: { type: DataTypes.DATE(3), allowNull: true },
      ...timestampColumns,
    },
    { sequelize, tableName: 'portal_tokens' },
  );
}
