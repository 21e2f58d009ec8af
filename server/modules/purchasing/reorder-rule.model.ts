import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { decimal, idColumn, timestampColumns, versionColumn } from '../../db/columns';

/** Keep between min and max of a product in a warehouse: below min (forecast), order up to max in multiples. */
export class ReorderRuleModel extends Model<InferAttributes<ReorderRuleModel>, InferCreationAttributes<ReorderRuleModel>> {
  declare id: CreationOptional<number>;
  declare productId: number;
  declare warehouseId: number;
  declare min: number;
  declare max: number;
  declare multiple: number;
  declare active: CreationOptional<boolean>;
  declare lastRunAt: CreationOptional<Date | null>;
  declare version: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initReorderRuleModel(sequelize: Sequelize): void {
  ReorderRuleModel.init(
    {
      id: idColumn,
      productId: { type: DataTypes.INTEGER, allowNull: false },
      warehouseId: { type: DataTypes.INTEGER, allowNull: false },
      min: decimal('min', 16, 3),
      max: decimal('max', 16, 3),
      multiple: decimal('multiple', 16, 3),
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      lastRunAt: { type: DataTypes.DATE(3), allowNull: true },
      version: versionColumn,
      ...timestampColumns,
    },
    { sequelize, tableName: 'reorder_rules', version: true },
  );
  // Catalog's model by name, for searching rules by SKU or name: purchasing never imports it.
  ReorderRuleModel.belongsTo(sequelize.model('ProductModel'), { foreignKey: 'productId', as: 'product' });
}
