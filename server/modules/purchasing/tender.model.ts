import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { TenderState } from '../../../contracts/states';
import { decimal, idColumn, timestampColumns, versionColumn } from '../../db/columns';
import type { ProductRecord } from '../catalog/product.service';

/** A call for tenders: the same lines asked of several vendors (one RFQ each), the best offers chosen per line. */
export class TenderModel extends Model<InferAttributes<TenderModel>, InferCreationAttributes<TenderModel>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare state: TenderState;
  declare warehouseId: number;
  declare deadline: Date;
  declare origin: string | null;
  declare note: string | null;
  declare currency: string;
  declare chosenAt: CreationOptional<Date | null>;
  declare createdById: number | null;
  declare version: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare lines?: TenderLineModel[];
}

export class TenderLineModel extends Model<InferAttributes<TenderLineModel>, InferCreationAttributes<TenderLineModel>> {
  declare id: CreationOptional<number>;
  declare tenderId: number;
  declare sequence: number;
  declare productId: number;
  declare quantity: number;
  /** What the RFQ lines are bought for: by hand or from replenishment ('manual'), a delivery's shortage. */
  declare demandKind: 'manual' | 'shortage';
  declare saleOrderId: number | null;
  declare product?: ProductRecord;
}

export function initTenderModels(sequelize: Sequelize): void {
  TenderModel.init(
    {
      id: idColumn,
      name: { type: DataTypes.STRING(20), allowNull: false },
      state: { type: DataTypes.STRING(10), allowNull: false },
      warehouseId: { type: DataTypes.INTEGER, allowNull: false },
      deadline: { type: DataTypes.DATE(3), allowNull: false },
      origin: { type: DataTypes.STRING(500), allowNull: true },
      note: { type: DataTypes.TEXT, allowNull: true },
      currency: { type: DataTypes.STRING(3), allowNull: false },
      chosenAt: { type: DataTypes.DATE(3), allowNull: true },
      createdById: { type: DataTypes.INTEGER, allowNull: true },
      version: versionColumn,
      ...timestampColumns,
    },
    { sequelize, tableName: 'tenders', version: true },
  );
  TenderLineModel.init(
    {
      id: idColumn,
      tenderId: { type: DataTypes.INTEGER, allowNull: false },
      sequence: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      productId: { type: DataTypes.INTEGER, allowNull: false },
      quantity: decimal('quantity', 16, 3),
      demandKind: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'manual' },
      saleOrderId: { type: DataTypes.INTEGER, allowNull: true },
    },
    { sequelize, tableName: 'tender_lines', timestamps: false },
  );
  TenderModel.hasMany(TenderLineModel, { foreignKey: 'tenderId', as: 'lines' });
  TenderLineModel.belongsTo(sequelize.model('ProductModel'), { foreignKey: 'productId', as: 'product' });
}
