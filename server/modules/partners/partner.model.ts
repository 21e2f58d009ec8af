import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { PartnerRole } from '../../../contracts/states';
import { idColumn, jsonText, timestampColumns, versionColumn } from '../../db/columns';

export class PartnerModel extends Model<InferAttributes<PartnerModel>, InferCreationAttributes<PartnerModel>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare email: string | null;
  declare phone: string | null;
  declare isCompany: CreationOptional<boolean>;
  declare street: string | null;
  declare city: string | null;
  declare zip: string | null;
  declare countryCode: string | null;
  declare roles: PartnerRole[];
  declare active: CreationOptional<boolean>;
  declare version: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initPartnerModels(sequelize: Sequelize): void {
  PartnerModel.init(
    {
      id: idColumn,
      name: { type: DataTypes.STRING(200), allowNull: false },
      email: { type: DataTypes.STRING(190), allowNull: true },
      phone: { type: DataTypes.STRING(50), allowNull: true },
      isCompany: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      street: { type: DataTypes.STRING(200), allowNull: true },
      city: { type: DataTypes.STRING(100), allowNull: true },
      zip: { type: DataTypes.STRING(20), allowNull: true },
      countryCode: { type: DataTypes.STRING(2), allowNull: true },
      roles: jsonText<PartnerRole[]>('roles', [], DataTypes.STRING(100)),
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      version: versionColumn,
      ...timestampColumns,
    },
    { sequelize, tableName: 'partners', version: true },
  );
}
