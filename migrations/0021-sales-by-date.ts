import type { QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

// The dashboard and the sales analysis read confirmed orders by their date (state IN (sale, done) and a
// range of dateOrder), grouped by the database: an index on both keeps that a range scan at 100k orders.
export async function up({ context: q }: Ctx): Promise<void> {
  await q.addIndex('sale_orders', ['state', 'dateOrder'], { name: 'sale_orders_state_date' });
}

export async function down({ context: q }: Ctx): Promise<void> {
  await q.removeIndex('sale_orders', 'sale_orders_state_date');
}
