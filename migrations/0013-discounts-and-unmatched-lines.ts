import { DataTypes, type QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

const money = { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 };

// Orders as shops sell them: a fixed amount off a line (beside its percentage), an order discount
// spread over the lines (shipping aside) with the codes the customer used, lines kept from a shop
// whose product is not known here yet (no product, the shop's SKU), and why an order needs attention.
// Invoices carry the same amounts, so documents show what the customer was given.
export async function up({ context: q }: Ctx): Promise<void> {
  await q.addColumn('sale_orders', 'discountCode', { type: DataTypes.STRING(200), allowNull: true });
  await q.addColumn('sale_orders', 'orderDiscount', money);
  await q.addColumn('sale_orders', 'attentionReasons', { type: DataTypes.TEXT, allowNull: true });

  if (q.sequelize.getDialect() === 'sqlite') await productIdNullableOnSqlite(q);
  else await q.changeColumn('sale_order_lines', 'productId', { type: DataTypes.INTEGER, allowNull: true });
  await q.addColumn('sale_order_lines', 'externalSku', { type: DataTypes.STRING(64), allowNull: true });
  await q.addColumn('sale_order_lines', 'discountAmount', money);
  await q.addColumn('sale_order_lines', 'orderDiscount', money);
  await q.addColumn('sale_order_lines', 'isShipping', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });

  await q.addColumn('invoices', 'discountCode', { type: DataTypes.STRING(200), allowNull: true });
  await q.addColumn('invoice_lines', 'discountAmount', money);
  await q.addColumn('invoice_lines', 'orderDiscount', money);
}

/**
 * SQLite cannot change a column: the table is rebuilt from its own definition with productId nullable
 * (keeping its keys, cascades and autoincrement), as SQLite's documentation describes, with foreign keys
 * off so that dropping the old table does not null the deliveries' and invoices' links to its lines.
 */
async function productIdNullableOnSqlite(q: QueryInterface): Promise<void> {
  const [[table]] = (await q.sequelize.query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'sale_order_lines'")) as [
    { sql: string }[],
    unknown,
  ];
  const definition = table!.sql.replace('`productId` INTEGER NOT NULL', '`productId` INTEGER');
  if (definition === table!.sql) throw new Error('sale_order_lines.productId is not as migration 0001 made it');
  await q.sequelize.query('PRAGMA foreign_keys = OFF');
  try {
    await q.sequelize.query(definition.replace('CREATE TABLE `sale_order_lines`', 'CREATE TABLE `sale_order_lines_new`'));
    await q.sequelize.query('INSERT INTO `sale_order_lines_new` SELECT * FROM `sale_order_lines`');
    await q.sequelize.query('DROP TABLE `sale_order_lines`');
    await q.sequelize.query('ALTER TABLE `sale_order_lines_new` RENAME TO `sale_order_lines`');
    await q.addIndex('sale_order_lines', ['orderId'], { name: 'sale_order_lines_order' });
  } finally {
    await q.sequelize.query('PRAGMA foreign_keys = ON');
  }
}

export async function down({ context: q }: Ctx): Promise<void> {
  await q.removeColumn('invoice_lines', 'orderDiscount');
  await q.removeColumn('invoice_lines', 'discountAmount');
  await q.removeColumn('invoices', 'discountCode');
  await q.removeColumn('sale_order_lines', 'isShipping');
  await q.removeColumn('sale_order_lines', 'orderDiscount');
  await q.removeColumn('sale_order_lines', 'discountAmount');
  await q.removeColumn('sale_order_lines', 'externalSku');
  await q.removeColumn('sale_orders', 'attentionReasons');
  await q.removeColumn('sale_orders', 'orderDiscount');
  await q.removeColumn('sale_orders', 'discountCode');
}
