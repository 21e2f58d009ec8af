import { DataTypes, type QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };
const money = { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 };
const qty = { type: DataTypes.DECIMAL(16, 3), allowNull: false, defaultValue: 0 };
const ref = (table: string, onDelete: 'CASCADE' | 'SET NULL' | 'RESTRICT', allowNull = true) => ({
  type: DataTypes.INTEGER,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete,
});
const timestamps = { createdAt: { type: DataTypes.DATE(3), allowNull: false }, updatedAt: { type: DataTypes.DATE(3), allowNull: false } };

// Purchasing: purchase orders (RFQs until confirmed) and their lines, what each line was bought for
// (sale order lines of make-to-order products, shortages, reorder rules), reorder rules per product and
// warehouse; products gain purchase taxes and a bill policy; moves remember the purchase line they
// receive and whether they wait for a purchase (make-to-order); invoices remember their purchase order.
export async function up({ context: q }: Ctx): Promise<void> {
  await q.createTable('purchase_orders', {
    id,
    name: { type: DataTypes.STRING(20), allowNull: false },
    partnerId: ref('partners', 'RESTRICT', false),
    warehouseId: ref('warehouses', 'RESTRICT', false),
    state: { type: DataTypes.STRING(10), allowNull: false },
    origin: { type: DataTypes.STRING(500), allowNull: true },
    // `<partnerId>:<warehouseId>` while this is the vendor's open draft RFQ that replenishment fills; null otherwise.
    draftKey: { type: DataTypes.STRING(40), allowNull: true },
    dropshipAddress: { type: DataTypes.TEXT, allowNull: true },
    tenderId: { type: DataTypes.INTEGER, allowNull: true },
    dateOrder: { type: DataTypes.DATE(3), allowNull: false },
    datePlanned: { type: DataTypes.DATE(3), allowNull: true },
    dateApproved: { type: DataTypes.DATE(3), allowNull: true },
    currency: { type: DataTypes.STRING(3), allowNull: false },
    amountUntaxed: money,
    amountTax: money,
    amountTotal: money,
    note: { type: DataTypes.TEXT, allowNull: true },
    sentAt: { type: DataTypes.DATE(3), allowNull: true },
    createdById: ref('users', 'SET NULL'),
    version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    ...timestamps,
  });
  await q.addIndex('purchase_orders', ['name'], { unique: true, name: 'purchase_orders_name_unique' });
  await q.addIndex('purchase_orders', ['draftKey'], { unique: true, name: 'purchase_orders_draft_key_unique' });
  await q.addIndex('purchase_orders', ['state', 'createdAt'], { name: 'purchase_orders_state' });
  await q.addIndex('purchase_orders', ['partnerId', 'state'], { name: 'purchase_orders_partner_state' });

  await q.createTable('purchase_order_lines', {
    id,
    orderId: ref('purchase_orders', 'CASCADE', false),
    sequence: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    productId: ref('products', 'RESTRICT', false),
    description: { type: DataTypes.TEXT, allowNull: false },
    quantity: qty,
    unitPrice: money,
    taxIds: { type: DataTypes.STRING(200), allowNull: false, defaultValue: '[]' },
    subtotal: money,
    amountTax: money,
    total: money,
    datePlanned: { type: DataTypes.DATE(3), allowNull: false },
    qtyReceived: qty,
    qtyBilled: qty,
  });
  await q.addIndex('purchase_order_lines', ['orderId'], { name: 'purchase_order_lines_order' });
  await q.addIndex('purchase_order_lines', ['productId'], { name: 'purchase_order_lines_product' });

  // What a purchase line was bought for: a sale order line (make-to-order), a shortage of a delivery,
  // a reorder rule, or a person's order from the replenishment page. Make-to-order units go to their
  // sale line only.
  await q.createTable('purchase_line_demands', {
    id,
    purchaseLineId: ref('purchase_order_lines', 'CASCADE', false),
    kind: { type: DataTypes.STRING(10), allowNull: false },
    saleOrderId: ref('sale_orders', 'SET NULL'),
    saleLineId: ref('sale_order_lines', 'SET NULL'),
    reorderRuleId: { type: DataTypes.INTEGER, allowNull: true },
    quantity: qty,
    ...timestamps,
  });
  await q.addIndex('purchase_line_demands', ['purchaseLineId'], { name: 'purchase_line_demands_line' });
  await q.addIndex('purchase_line_demands', ['saleLineId'], { name: 'purchase_line_demands_sale_line' });
  await q.addIndex('purchase_line_demands', ['saleOrderId'], { name: 'purchase_line_demands_sale_order' });

  await q.createTable('reorder_rules', {
    id,
    productId: ref('products', 'CASCADE', false),
    warehouseId: ref('warehouses', 'CASCADE', false),
    min: qty,
    max: qty,
    multiple: { type: DataTypes.DECIMAL(16, 3), allowNull: false, defaultValue: 1 },
    active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    lastRunAt: { type: DataTypes.DATE(3), allowNull: true },
    version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    ...timestamps,
  });
  await q.addIndex('reorder_rules', ['productId', 'warehouseId'], { unique: true, name: 'reorder_rules_product_warehouse_unique' });

  await q.addColumn('products', 'purchaseTaxIds', { type: DataTypes.STRING(200), allowNull: false, defaultValue: '[]' });
  await q.addColumn('products', 'billPolicy', { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'received' });

  await q.addColumn('stock_moves', 'purchaseLineId', ref('purchase_order_lines', 'SET NULL'));
  // 'mts': reserved from stock; 'mto': waits for the units bought for it (a purchase line's demand).
  await q.addColumn('stock_moves', 'procureMethod', { type: DataTypes.STRING(3), allowNull: false, defaultValue: 'mts' });
  await q.addIndex('stock_moves', ['purchaseLineId'], { name: 'stock_moves_purchase_line' });
  await q.addIndex('stock_pickings', ['purchaseOrderId'], { name: 'stock_pickings_purchase_order' });

  await q.addColumn('invoices', 'purchaseOrderId', ref('purchase_orders', 'SET NULL'));
  await q.addColumn('invoice_lines', 'purchaseLineId', ref('purchase_order_lines', 'SET NULL'));
  await q.addIndex('invoices', ['purchaseOrderId'], { name: 'invoices_purchase_order' });
  await q.addIndex('invoice_lines', ['purchaseLineId'], { name: 'invoice_lines_purchase_line' });

  await q.bulkInsert('sequences', [{ code: 'purchase.order', prefix: 'P', padding: 5, nextValue: 1 }]);
}

export async function down({ context: q }: Ctx): Promise<void> {
  await q.bulkDelete('sequences', { code: 'purchase.order' });
  await q.removeIndex('invoice_lines', 'invoice_lines_purchase_line');
  await q.removeIndex('invoices', 'invoices_purchase_order');
  await q.removeColumn('invoice_lines', 'purchaseLineId');
  await q.removeColumn('invoices', 'purchaseOrderId');
  await q.removeIndex('stock_pickings', 'stock_pickings_purchase_order');
  await q.removeIndex('stock_moves', 'stock_moves_purchase_line');
  await q.removeColumn('stock_moves', 'procureMethod');
  await q.removeColumn('stock_moves', 'purchaseLineId');
  await q.removeColumn('products', 'billPolicy');
  await q.removeColumn('products', 'purchaseTaxIds');
  await q.dropTable('reorder_rules');
  await q.dropTable('purchase_line_demands');
  await q.dropTable('purchase_order_lines');
  await q.dropTable('purchase_orders');
}
