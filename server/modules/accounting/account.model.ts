import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { idColumn, timestampColumns } from '../../db/columns';
import type { AccountType, JournalType } from '../../../contracts/states';

export class AccountModel extends Model<InferAttributes<AccountModel>, InferCreationAttributes<AccountModel>> {
  declare id: CreationOptional<number>;
  declare code: string;
  declare name: string;
  declare type: AccountType;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class JournalModel extends Model<InferAttributes<JournalModel>, InferCreationAttributes<JournalModel>> {
  declare id: CreationOptional<number>;
  declare code: string;
  declare name: string;
  declare type: JournalType;
  declare defaultAccountId: number | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initAccountingModels(sequelize: Sequelize): void {
  AccountModel.init(
    {
      id: idColumn,
      code: { type: DataTypes.STRING(20), allowNull: false },
      name: { type: DataTypes.STRING(120), allowNull: false },
      type: { type: DataTypes.STRING(20), allowNull: false },
      ...timestampColumns,
    },
    { sequelize, tableName: 'accounts' },
  );
  JournalModel.init(
    {
      id: idColumn,
      code: { type: DataTypes.STRING(10), allowNull: false },
      name: { type: DataTypes.STRING(100), allowNull: false },
      type: { type: DataTypes.STRING(10), allowNull: false },
      defaultAccountId: { type: DataTypes.INTEGER, allowNull: true },
      ...timestampColumns,
    },
    { sequelize, tableName: 'journals' },
  );
}
