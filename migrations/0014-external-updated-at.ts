import { DataTypes, type QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

// The shop's time of the version of an order we hold: a delivery of an older version (a replayed
// webhook body under a new delivery id, a late retry) is ignored rather than rolling the order back.
export async function up({ context: q }: Ctx): Promise<void> {
  await q.addColumn('sale_orders', 'externalUpdatedAt', { type: DataTypes.DATE(3), allowNull: true });
}

export async function down({ context: q }: Ctx): Promise<void> {
  await q.removeColumn('sale_orders', 'externalUpdatedAt');
}
