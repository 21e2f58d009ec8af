import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { idColumn, timestampColumns } from '../../db/columns';
import type { LocationKind } from '../../../contracts/states';

export class WarehouseModel extends Model<InferAttributes<WarehouseModel>, InferCreationAttributes<WarehouseModel>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare code: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class LocationModel extends Model<InferAttributes<LocationModel>, InferCreationAttributes<LocationModel>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare kind: LocationKind;
  declare warehouseId: number | null;
  declare isReturns: boolean;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initInventoryModels(sequelize: Sequelize): void {
  WarehouseModel.init(
    {
      id: idColumn,
      name: { type: DataTypes.STRING(100), allowNull: false },
      code: { type: DataTypes.STRING(10), allowNull: false },
      ...timestampColumns,
    },
    { sequelize, tableName: 'warehouses' },
  );
  LocationModel.init(
    {
      id: idColumn,
      name: { type: DataTypes.STRING(100), allowNull: false },
      kind: { type: DataTypes.STRING(20), allowNull: false },
      warehouseId: { type: DataTypes.INTEGER, allowNull: true },
      isReturns: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      ...timestampColumns,
    },
    { sequelize, tableName: 'locations' },
  );
}
