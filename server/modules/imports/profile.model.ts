import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { idColumn, jsonText, timestampColumns } from '../../db/columns';
import type { Mapping } from './profiles';

export class ImportProfileModel extends Model<InferAttributes<ImportProfileModel>, InferCreationAttributes<ImportProfileModel>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare mapping: Mapping;
  declare createdById: number | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initImportModels(sequelize: Sequelize): void {
  ImportProfileModel.init(
    {
      id: idColumn,
      name: { type: DataTypes.STRING(100), allowNull: false },
      mapping: jsonText<Mapping>('mapping', {} as Mapping),
      createdById: { type: DataTypes.INTEGER, allowNull: true },
      ...timestampColumns,
    },
    { sequelize, tableName: 'import_profiles' },
  );
}
