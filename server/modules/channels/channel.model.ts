import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { ChannelKind } from '../../../contracts/states';
import { idColumn, jsonText, timestampColumns, versionColumn } from '../../db/columns';

export class ChannelModel extends Model<InferAttributes<ChannelModel>, InferCreationAttributes<ChannelModel>> {
  declare id: CreationOptional<number>;
  declare kind: ChannelKind;
  declare name: string;
  declare settings: Record<string, unknown>;
  /** Sealed (server/lib/secrets.ts) JSON of the kind's credentials. */
  declare credentials: string | null;
  declare syncIntervalMinutes: CreationOptional<number>;
  /** Where the next sync starts: the shop's updated-since time of the newest order taken. */
  declare cursor: string | null;
  declare active: CreationOptional<boolean>;
  declare lastSyncAt: Date | null;
  declare lastError: string | null;
  declare lastErrorAt: Date | null;
  declare version: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class ChannelDeliveryModel extends Model<InferAttributes<ChannelDeliveryModel>, InferCreationAttributes<ChannelDeliveryModel>> {
  declare id: CreationOptional<number>;
  declare channelId: number;
  declare deliveryId: string;
  declare createdAt: CreationOptional<Date>;
}

export function initChannelModels(sequelize: Sequelize): void {
  ChannelModel.init(
    {
      id: idColumn,
      kind: { type: DataTypes.STRING(20), allowNull: false },
      name: { type: DataTypes.STRING(100), allowNull: false },
      settings: jsonText<Record<string, unknown>>('settings', {}),
      credentials: { type: DataTypes.TEXT, allowNull: true },
      syncIntervalMinutes: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 15 },
      cursor: { type: DataTypes.STRING(100), allowNull: true },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      lastSyncAt: { type: DataTypes.DATE(3), allowNull: true },
      lastError: { type: DataTypes.STRING(2000), allowNull: true },
      lastErrorAt: { type: DataTypes.DATE(3), allowNull: true },
      version: versionColumn,
      ...timestampColumns,
    },
    { sequelize, tableName: 'channels', version: true },
  );
  ChannelDeliveryModel.init(
    {
      id: idColumn,
      channelId: { type: DataTypes.INTEGER, allowNull: false },
      deliveryId: { type: DataTypes.STRING(190), allowNull: false },
      createdAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'channel_deliveries', updatedAt: false },
  );
}
