import { DataTypes, type QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };
const qty = { type: DataTypes.DECIMAL(16, 3), allowNull: false, defaultValue: 0 };
const ref = (table: string, onDelete: 'CASCADE' | 'SET NULL' | 'RESTRICT', allowNull = true) => ({
  type: DataTypes.INTEGER,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete,
});
const timestamps = { createdAt: { type: DataTypes.DATE(3), allowNull: false }, updatedAt: { type: DataTypes.DATE(3), allowNull: false } };

// Calls for tenders: lines (products, quantities, what they are bought for), a deadline; one RFQ per
// vendor (purchase_orders.tenderId, which 0017 created without a reference), its lines linked to the
// tender's lines. Vendors' answers: a lead time per RFQ line, when the quote came, how long it holds
// and who recorded it.
export async function up({ context: q }: Ctx): Promise<void> {
  await q.createTable('tenders', {
    id,
    name: { type: DataTypes.STRING(20), allowNull: false },
    state: { type: DataTypes.STRING(10), allowNull: false },
    warehouseId: ref('warehouses', 'RESTRICT', false),
    deadline: { type: DataTypes.DATE(3), allowNull: false },
    origin: { type: DataTypes.STRING(500), allowNull: true },
    note: { type: DataTypes.TEXT, allowNull: true },
    currency: { type: DataTypes.STRING(3), allowNull: false },
    chosenAt: { type: DataTypes.DATE(3), allowNull: true },
    createdById: ref('users', 'SET NULL'),
    version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    ...timestamps,
  });
  await q.addIndex('tenders', ['name'], { unique: true, name: 'tenders_name_unique' });
  await q.addIndex('tenders', ['state', 'createdAt'], { name: 'tenders_state' });

  await q.createTable('tender_lines', {
    id,
    tenderId: ref('tenders', 'CASCADE', false),
    sequence: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    productId: ref('products', 'RESTRICT', false),
    quantity: qty,
    // What it is bought for, copied to each RFQ line's demand: 'manual' (by hand, replenishment) or 'shortage' (a delivery's).
    demandKind: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'manual' },
    saleOrderId: ref('sale_orders', 'SET NULL'),
  });
  await q.addIndex('tender_lines', ['tenderId'], { name: 'tender_lines_tender' });

  await q.addIndex('purchase_orders', ['tenderId'], { name: 'purchase_orders_tender' });
  await q.addColumn('purchase_orders', 'quotedAt', { type: DataTypes.DATE(3), allowNull: true });
  await q.addColumn('purchase_orders', 'validUntil', { type: DataTypes.DATE(3), allowNull: true });
  // 'user' or 'vendor', and the name shown.
  await q.addColumn('purchase_orders', 'quotedByKind', { type: DataTypes.STRING(10), allowNull: true });
  await q.addColumn('purchase_orders', 'quotedByName', { type: DataTypes.STRING(200), allowNull: true });
  await q.addColumn('purchase_order_lines', 'leadDays', { type: DataTypes.INTEGER, allowNull: true });
  await q.addColumn('purchase_order_lines', 'tenderLineId', ref('tender_lines', 'SET NULL'));
  await q.addIndex('purchase_order_lines', ['tenderLineId'], { name: 'purchase_order_lines_tender_line' });

  await q.bulkInsert('sequences', [{ code: 'purchase.tender', prefix: 'T', padding: 5, nextValue: 1 }]);
}

export async function down({ context: q }: Ctx): Promise<void> {
  await q.bulkDelete('sequences', { code: 'purchase.tender' });
  await q.removeIndex('purchase_order_lines', 'purchase_order_lines_tender_line');
  await q.removeColumn('purchase_order_lines', 'tenderLineId');
  await q.removeColumn('purchase_order_lines', 'leadDays');
  await q.removeColumn('purchase_orders', 'quotedByName');
  await q.removeColumn('purchase_orders', 'quotedByKind');
  await q.removeColumn('purchase_orders', 'validUntil');
  await q.removeColumn('purchase_orders', 'quotedAt');
  await q.removeIndex('purchase_orders', 'purchase_orders_tender');
  await q.dropTable('tender_lines');
  await q.dropTable('tenders');
}
