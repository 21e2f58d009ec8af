import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { idColumn, versionColumn, timestampColumns } from '../../db/columns';

export class CompanyModel extends Model<InferAttributes<CompanyModel>, InferCreationAttributes<CompanyModel>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare street: string | null;
  declare city: string | null;
  declare zip: string | null;
  declare countryCode: string | null;
  declare vatId: string | null;
  declare email: string | null;
  declare phone: string | null;
  declare currency: string;
  declare logo: string | null;
  /** Days from the invoice date to its due date. */
  declare paymentTermDays: CreationOptional<number>;
  /** The automation rule: a validated delivery is invoiced, posted and sent without a click. */
  declare autoInvoiceDeliveries: CreationOptional<boolean>;
  declare version: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initCompanyModels(sequelize: Sequelize): void {
  const s = (n: number) => ({ type: DataTypes.STRING(n), allowNull: true });
  CompanyModel.init(
    {
      id: idColumn,
      name: { type: DataTypes.STRING(200), allowNull: false },
      street: s(200),
      city: s(100),
      zip: s(20),
      countryCode: s(2),
      vatId: s(40),
      email: s(190),
      phone: s(50),
      currency: { type: DataTypes.STRING(3), allowNull: false },
      logo: { type: DataTypes.TEXT, allowNull: true },
      paymentTermDays: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 30 },
      autoInvoiceDeliveries: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      version: versionColumn,
      ...timestampColumns,
    },
    { sequelize, tableName: 'company', version: true },
  );
}
