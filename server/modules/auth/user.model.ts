import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { idColumn, versionColumn, timestampColumns } from '../../db/columns';
import type { OrderAccess, Role } from '../../../contracts/states';

export class UserModel extends Model<InferAttributes<UserModel>, InferCreationAttributes<UserModel>> {
  declare id: CreationOptional<number>;
  declare email: string;
  declare name: string;
  declare role: Role;
  declare passwordHash: string;
  declare active: CreationOptional<boolean>;
  declare notifyByEmail: CreationOptional<boolean>;
  declare orderAccess: CreationOptional<OrderAccess>;
  declare version: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class SessionModel extends Model<InferAttributes<SessionModel>, InferCreationAttributes<SessionModel>> {
  declare id: string;
  declare userId: number;
  declare csrfToken: string;
  declare expiresAt: Date;
  declare createdAt: CreationOptional<Date>;
}

export class ApiTokenModel extends Model<InferAttributes<ApiTokenModel>, InferCreationAttributes<ApiTokenModel>> {
  declare id: CreationOptional<number>;
  declare userId: number;
  declare name: string;
  declare tokenHash: string;
  declare lastUsedAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initAuthModels(sequelize: Sequelize): void {
  UserModel.init(
    {
      id: idColumn,
      email: { type: DataTypes.STRING(190), allowNull: false },
      name: { type: DataTypes.STRING(120), allowNull: false },
      role: { type: DataTypes.STRING(20), allowNull: false },
      passwordHash: { type: DataTypes.STRING(255), allowNull: false },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      notifyByEmail: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      orderAccess: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'all' },
      version: versionColumn,
      ...timestampColumns,
    },
    { sequelize, tableName: 'users', version: true },
  );
  SessionModel.init(
    {
      id: { type: DataTypes.STRING(64), primaryKey: true },
      userId: { type: DataTypes.INTEGER, allowNull: false },
      csrfToken: { type: DataTypes.STRING(64), allowNull: false },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      createdAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'sessions', updatedAt: false },
  );
  ApiTokenModel.init(
    {
      id: idColumn,
      userId: { type: DataTypes.INTEGER, allowNull: false },
      name: { type: DataTypes.STRING(120), allowNull: false },
      tokenHash: { type: DataTypes.STRING(64), allowNull: false },
      lastUsedAt: { type: DataTypes.DATE(3), allowNull: true },
      ...timestampColumns,
    },
    { sequelize, tableName: 'api_tokens' },
  );
}
