import type { QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

// The purchase, transfers and invoices lists at a million rows (issue 18, as 0022 did for the order
// board). Every filter and sort each list offers reads an index, with id as the tie-breaker (the keyset
// cursor's order; a number's unique index alone does not serve ORDER BY name, id on MariaDB); the
// searches read the numbers' unique indexes, prefix ranges of the origins and payment references, and
// the partners' full-text index of 0022.

const INDEXES: [table: string, name: string, fields: string[]][] = [
  // Purchase orders. Sorts: the field, then id.
  ['purchase_orders', 'purchase_orders_created_id', ['createdAt', 'id']],
  ['purchase_orders', 'purchase_orders_name_id', ['name', 'id']],
  ['purchase_orders', 'purchase_orders_date_id', ['dateOrder', 'id']],
  ['purchase_orders', 'purchase_orders_planned_id', ['datePlanned', 'id']],
  ['purchase_orders', 'purchase_orders_total_id', ['amountTotal', 'id']],
  // Filters with the default sort (newest first); the state with the arrival date (the late filter, the
  // kanban's columns sorted by arrival).
  ['purchase_orders', 'purchase_orders_state_created', ['state', 'createdAt', 'id']],
  ['purchase_orders', 'purchase_orders_partner_created', ['partnerId', 'createdAt', 'id']],
  ['purchase_orders', 'purchase_orders_state_planned', ['state', 'datePlanned', 'id']],
  // The search by origin (the sale orders served: S00012, …).
  ['purchase_orders', 'purchase_orders_origin', ['origin']],

  // Transfers: one order, soonest scheduled first, then id; by type (each screen lists one), by state and
  // type (the chips, the due filters), by partner (the search by partner name).
  ['stock_pickings', 'stock_pickings_scheduled_id', ['scheduledDate', 'id']],
  ['stock_pickings', 'stock_pickings_type_scheduled', ['type', 'scheduledDate', 'id']],
  ['stock_pickings', 'stock_pickings_state_type_scheduled', ['state', 'type', 'scheduledDate', 'id']],
  ['stock_pickings', 'stock_pickings_partner_scheduled', ['partnerId', 'scheduledDate', 'id']],
  ['stock_pickings', 'stock_pickings_origin', ['origin']],

  // Invoices. Sorts: the field, then id.
  ['invoices', 'invoices_created_id', ['createdAt', 'id']],
  ['invoices', 'invoices_name_id', ['name', 'id']],
  ['invoices', 'invoices_date_id', ['invoiceDate', 'id']],
  ['invoices', 'invoices_due_id', ['dueDate', 'id']],
  ['invoices', 'invoices_total_id', ['amountTotal', 'id']],
  // Filters with the default sort (newest first).
  ['invoices', 'invoices_type_created', ['moveType', 'createdAt', 'id']],
  ['invoices', 'invoices_state_created', ['state', 'createdAt', 'id']],
  ['invoices', 'invoices_payment_created', ['paymentState', 'createdAt', 'id']],
  ['invoices', 'invoices_partner_created', ['partnerId', 'createdAt', 'id']],
  // Overdue: posted, not paid off (the few), due before today.
  ['invoices', 'invoices_overdue', ['state', 'amountResidual', 'dueDate']],
  // The search by payment reference.
  ['invoices', 'invoices_payment_reference', ['paymentReference']],

  // The order board's sort by number (0022 left it to the unique index, which MariaDB does not read for
  // ORDER BY name, id: it sorted every order).
  ['sale_orders', 'sale_orders_name_id', ['name', 'id']],
];

// Replaced by the wider indexes above (same leading columns).
const REPLACED: [table: string, name: string, fields: string[]][] = [
  ['purchase_orders', 'purchase_orders_state', ['state', 'createdAt']],
  ['stock_pickings', 'stock_pickings_pending', ['state', 'type', 'scheduledDate']],
];

export async function up({ context: q }: Ctx): Promise<void> {
  for (const [table, name, fields] of INDEXES) await q.addIndex(table, fields, { name });
  for (const [table, name] of REPLACED) await q.removeIndex(table, name);
  // The partner key's own index that an earlier down put back: the wider one serves the key now.
  if (q.sequelize.getDialect() !== 'sqlite') {
    const [left] = await q.sequelize.query(`SHOW INDEX FROM stock_pickings WHERE Key_name = 'stock_pickings_partner'`);
    if ((left as unknown[]).length) await q.removeIndex('stock_pickings', 'stock_pickings_partner');
  }
}

export async function down({ context: q }: Ctx): Promise<void> {
  for (const [table, name, fields] of REPLACED) await q.addIndex(table, fields, { name });
  // InnoDB dropped the index it had made for the transfers' partner foreign key when the wider one came:
  // the key needs one back before that one goes.
  if (q.sequelize.getDialect() !== 'sqlite') await q.addIndex('stock_pickings', ['partnerId'], { name: 'stock_pickings_partner' });
  for (const [table, name] of INDEXES) await q.removeIndex(table, name);
}
