import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { BillPolicy, InvoicePolicy, ProductRoute, ProductType } from '../../../contracts/states';
import { decimal, idColumn, jsonText, money, timestampColumns, versionColumn } from '../../db/columns';

export class TaxModel extends Model<InferAttributes<TaxModel>, InferCreationAttributes<TaxModel>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare rate: number;
  declare accountId: number | null;
  declare active: CreationOptional<boolean>;
  declare version: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class ProductModel extends Model<InferAttributes<ProductModel>, InferCreationAttributes<ProductModel>> {
  declare id: CreationOptional<number>;
  declare sku: string;
  declare name: string;
  declare type: ProductType;
  declare listPrice: number;
  declare cost: number;
  declare taxIds: number[];
  declare invoicePolicy: InvoicePolicy;
  declare routes: ProductRoute[];
  declare purchaseTaxIds: CreationOptional<number[]>;
  declare billPolicy: CreationOptional<BillPolicy>;
  declare active: CreationOptional<boolean>;
  declare version: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare vendors?: ProductVendorModel[];
}

export class ProductVendorModel extends Model<InferAttributes<ProductVendorModel>, InferCreationAttributes<ProductVendorModel>> {
  declare id: CreationOptional<number>;
  declare productId: number;
  declare partnerId: number;
  declare sequence: number;
  declare price: number;
  declare minQty: number;
  declare leadDays: number;
}

export function initCatalogModels(sequelize: Sequelize): void {
  TaxModel.init(
    {
      id: idColumn,
      name: { type: DataTypes.STRING(100), allowNull: false },
      rate: decimal('rate', 8, 4),
      accountId: { type: DataTypes.INTEGER, allowNull: true },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      version: versionColumn,
      ...timestampColumns,
    },
    { sequelize, tableName: 'taxes', version: true },
  );
  // The account a tax posts to (accounting's model, looked up by name: its class stays in accounting).
  TaxModel.belongsTo(sequelize.model('AccountModel'), { foreignKey: 'accountId', as: 'account' });
  ProductModel.init(
    {
      id: idColumn,
      sku: { type: DataTypes.STRING(64), allowNull: false },
      name: { type: DataTypes.STRING(200), allowNull: false },
      type: { type: DataTypes.STRING(20), allowNull: false },
      listPrice: money('listPrice'),
      cost: money('cost'),
      taxIds: jsonText<number[]>('taxIds', [], DataTypes.STRING(200)),
      invoicePolicy: { type: DataTypes.STRING(20), allowNull: false },
      routes: jsonText<ProductRoute[]>('routes', [], DataTypes.STRING(100)),
      purchaseTaxIds: { ...jsonText<number[]>('purchaseTaxIds', [], DataTypes.STRING(200)), defaultValue: '[]' },
      billPolicy: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'received' },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      version: versionColumn,
      ...timestampColumns,
    },
    { sequelize, tableName: 'products', version: true },
  );
  ProductVendorModel.init(
    {
      id: idColumn,
      productId: { type: DataTypes.INTEGER, allowNull: false },
      partnerId: { type: DataTypes.INTEGER, allowNull: false },
      sequence: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      price: money('price'),
      minQty: decimal('minQty', 14, 3),
      leadDays: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    },
    { sequelize, tableName: 'product_vendors', timestamps: false },
  );
  ProductModel.hasMany(ProductVendorModel, { foreignKey: 'productId', as: 'vendors' });
}
