import { DataTypes, type QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

// An order from a shop keeps a fingerprint of the shop's version it was last made from: the same
// order coming again (a repeated sync, webhook or file) is recognised as unchanged.
export async function up({ context: q }: Ctx): Promise<void> {
  await q.addColumn('sale_orders', 'externalHash', { type: DataTypes.STRING(64), allowNull: true });
}

export async function down({ context: q }: Ctx): Promise<void> {
  await q.removeColumn('sale_orders', 'externalHash');
}
