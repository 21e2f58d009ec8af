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
  /** A vendor's order endpoint: signed JSON notifications of its purchase orders go there (secret sealed). */
  declare orderEndpointUrl: CreationOptional<string | null>;
  declare orderEndpointSecret: CreationOptional<string | null>;
  declare orderEndpointActive: CreationOptional<boolean>;
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
      orderEndpointUrl: { type: DataTypes.STRING(500), allowNull: true },
      orderEndpointSecret: { type: DataTypes.TEXT, allowNull: true },
      orderEndpointActive: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      version: versionColumn,
      ...timestampColumns,
    },
    { sequelize, tableName: 'partners', version: true },
  );
}
