import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { MoveState, PickingState, PickingType, ProcureMethod } from '../../../contracts/states';
import { decimal, idColumn, nullableJsonText, timestampColumns, versionColumn } from '../../db/columns';

/** On hand and reserved of one product in one internal location. Changed only by done moves (and reservations). */
export class QuantModel extends Model<InferAttributes<QuantModel>, InferCreationAttributes<QuantModel>> {
  declare id: CreationOptional<number>;
  declare productId: number;
  declare locationId: number;
  declare quantity: CreationOptional<number>;
  declare reservedQuantity: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class PickingModel extends Model<InferAttributes<PickingModel>, InferCreationAttributes<PickingModel>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare type: PickingType;
  declare state: PickingState;
  declare origin: string | null;
  declare saleOrderId: number | null;
  declare purchaseOrderId: number | null;
  declare partnerId: number | null;
  declare warehouseId: number;
  declare fromLocationId: number;
  declare toLocationId: number;
  declare carrier: string | null;
  declare trackingRef: string | null;
  declare backorderOfId: number | null;
  declare returnOfId: number | null;
  declare returnReason: string | null;
  declare shippingAddress: Record<string, unknown> | null;
  declare scheduledDate: Date;
  declare dateDone: Date | null;
  declare createdById: number | null;
  declare version: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare moves?: MoveModel[];
}

/** A quantity of a product going from one location to another; a picking's lines. */
export class MoveModel extends Model<InferAttributes<MoveModel>, InferCreationAttributes<MoveModel>> {
  declare id: CreationOptional<number>;
  declare pickingId: number | null;
  declare productId: number;
  declare description: string;
  declare quantity: number;
  declare quantityReserved: CreationOptional<number>;
  declare quantityDone: CreationOptional<number>;
  declare fromLocationId: number;
  declare toLocationId: number;
  declare state: MoveState;
  declare saleLineId: number | null;
  declare originMoveId: number | null;
  /** The purchase order line a receipt's move brings in. */
  declare purchaseLineId: CreationOptional<number | null>;
  /** mts: reserved from stock; mto: waits for the units bought for its sale line (never takes other stock). */
  declare procureMethod: CreationOptional<ProcureMethod>;
  declare sequence: CreationOptional<number>;
  declare dateDone: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initStockModels(sequelize: Sequelize): void {
  QuantModel.init(
    {
      id: idColumn,
      productId: { type: DataTypes.INTEGER, allowNull: false },
      locationId: { type: DataTypes.INTEGER, allowNull: false },
      quantity: decimal('quantity', 16, 3),
      reservedQuantity: decimal('reservedQuantity', 16, 3),
      ...timestampColumns,
    },
    { sequelize, tableName: 'stock_quants' },
  );
  PickingModel.init(
    {
      id: idColumn,
      name: { type: DataTypes.STRING(30), allowNull: false },
      type: { type: DataTypes.STRING(10), allowNull: false },
      state: { type: DataTypes.STRING(10), allowNull: false },
      origin: { type: DataTypes.STRING(100), allowNull: true },
      saleOrderId: { type: DataTypes.INTEGER, allowNull: true },
      purchaseOrderId: { type: DataTypes.INTEGER, allowNull: true },
      partnerId: { type: DataTypes.INTEGER, allowNull: true },
      warehouseId: { type: DataTypes.INTEGER, allowNull: false },
      fromLocationId: { type: DataTypes.INTEGER, allowNull: false },
      toLocationId: { type: DataTypes.INTEGER, allowNull: false },
      carrier: { type: DataTypes.STRING(100), allowNull: true },
      trackingRef: { type: DataTypes.STRING(100), allowNull: true },
      backorderOfId: { type: DataTypes.INTEGER, allowNull: true },
      returnOfId: { type: DataTypes.INTEGER, allowNull: true },
      returnReason: { type: DataTypes.STRING(500), allowNull: true },
      shippingAddress: nullableJsonText<Record<string, unknown>>('shippingAddress'),
      scheduledDate: { type: DataTypes.DATE(3), allowNull: false },
      dateDone: { type: DataTypes.DATE(3), allowNull: true },
      createdById: { type: DataTypes.INTEGER, allowNull: true },
      version: versionColumn,
      ...timestampColumns,
    },
    { sequelize, tableName: 'stock_pickings', version: true },
  );
  MoveModel.init(
    {
      id: idColumn,
      pickingId: { type: DataTypes.INTEGER, allowNull: true },
      productId: { type: DataTypes.INTEGER, allowNull: false },
      description: { type: DataTypes.STRING(300), allowNull: false },
      quantity: decimal('quantity', 16, 3),
      quantityReserved: decimal('quantityReserved', 16, 3),
      quantityDone: decimal('quantityDone', 16, 3),
      fromLocationId: { type: DataTypes.INTEGER, allowNull: false },
      toLocationId: { type: DataTypes.INTEGER, allowNull: false },
      state: { type: DataTypes.STRING(20), allowNull: false },
      saleLineId: { type: DataTypes.INTEGER, allowNull: true },
      originMoveId: { type: DataTypes.INTEGER, allowNull: true },
      purchaseLineId: { type: DataTypes.INTEGER, allowNull: true },
      procureMethod: { type: DataTypes.STRING(3), allowNull: false, defaultValue: 'mts' },
      sequence: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      dateDone: { type: DataTypes.DATE(3), allowNull: true },
      ...timestampColumns,
    },
    { sequelize, tableName: 'stock_moves' },
  );
  PickingModel.hasMany(MoveModel, { foreignKey: 'pickingId', as: 'moves' });
}
