import { DataTypes, type QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

// "Own orders only": a user limited to the sale orders they created (the common ERP record rule).
export async function up({ context: q }: Ctx): Promise<void> {
  await q.addColumn('users', 'orderAccess', { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'all' });
  await q.addIndex('sale_orders', ['createdById', 'id'], { name: 'sale_orders_creator' });
}

export async function down({ context: q }: Ctx): Promise<void> {
  await q.removeIndex('sale_orders', 'sale_orders_creator');
  await q.removeColumn('users', 'orderAccess');
}
