import { DataTypes, type QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

// The shop's own order number ("#1002" in Shopify or WooCommerce, the reference of a CSV row): what
// the customer quotes, shown on the board and the order and found by the board's search.
export async function up({ context: q }: Ctx): Promise<void> {
  await q.addColumn('sale_orders', 'reference', { type: DataTypes.STRING(100), allowNull: true });
  await q.addIndex('sale_orders', ['reference'], { name: 'sale_orders_reference' });
}

export async function down({ context: q }: Ctx): Promise<void> {
  await q.removeIndex('sale_orders', 'sale_orders_reference');
  await q.removeColumn('sale_orders', 'reference');
}
