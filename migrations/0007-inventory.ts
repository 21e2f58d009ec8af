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

// Stock: quants (on hand and reserved per product and location), pickings and their moves, and the
// numbering of pickings per warehouse (WH/OUT/00001, WH/IN/…, WH/RET/…).
export async function up({ context: q }: Ctx): Promise<void> {
  await q.createTable('stock_quants', {
    id,
    productId: ref('products', 'RESTRICT', false),
    locationId: ref('locations', 'RESTRICT', false),
    quantity: qty,
    reservedQuantity: qty,
    ...timestamps,
  });
  await q.addIndex('stock_quants', ['productId', 'locationId'], { unique: true, name: 'stock_quants_unique' });
  await q.addIndex('stock_quants', ['locationId'], { name: 'stock_quants_location' });

  await q.createTable('stock_pickings', {
    id,
    name: { type: DataTypes.STRING(30), allowNull: false },
    type: { type: DataTypes.STRING(10), allowNull: false },
    state: { type: DataTypes.STRING(10), allowNull: false },
    origin: { type: DataTypes.STRING(100), allowNull: true },
    saleOrderId: ref('sale_orders', 'SET NULL'),
    purchaseOrderId: { type: DataTypes.INTEGER, allowNull: true },
    partnerId: ref('partners', 'SET NULL'),
    warehouseId: ref('warehouses', 'RESTRICT', false),
    fromLocationId: ref('locations', 'RESTRICT', false),
    toLocationId: ref('locations', 'RESTRICT', false),
    carrier: { type: DataTypes.STRING(100), allowNull: true },
    trackingRef: { type: DataTypes.STRING(100), allowNull: true },
    backorderOfId: ref('stock_pickings', 'SET NULL'),
    returnOfId: ref('stock_pickings', 'SET NULL'),
    returnReason: { type: DataTypes.STRING(500), allowNull: true },
    shippingAddress: { type: DataTypes.TEXT, allowNull: true },
    scheduledDate: { type: DataTypes.DATE(3), allowNull: false },
    dateDone: { type: DataTypes.DATE(3), allowNull: true },
    createdById: ref('users', 'SET NULL'),
    version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    ...timestamps,
  });
  await q.addIndex('stock_pickings', ['name'], { unique: true, name: 'stock_pickings_name_unique' });
  await q.addIndex('stock_pickings', ['state', 'type', 'scheduledDate'], { name: 'stock_pickings_pending' });
  await q.addIndex('stock_pickings', ['saleOrderId'], { name: 'stock_pickings_sale_order' });

  await q.createTable('stock_moves', {
    id,
    pickingId: ref('stock_pickings', 'CASCADE'),
    productId: ref('products', 'RESTRICT', false),
    description: { type: DataTypes.STRING(300), allowNull: false },
    quantity: qty,
    quantityReserved: qty,
    quantityDone: qty,
    fromLocationId: ref('locations', 'RESTRICT', false),
    toLocationId: ref('locations', 'RESTRICT', false),
    state: { type: DataTypes.STRING(20), allowNull: false },
    saleLineId: ref('sale_order_lines', 'SET NULL'),
    originMoveId: ref('stock_moves', 'SET NULL'),
    sequence: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    dateDone: { type: DataTypes.DATE(3), allowNull: true },
    ...timestamps,
  });
  await q.addIndex('stock_moves', ['pickingId'], { name: 'stock_moves_picking' });
  await q.addIndex('stock_moves', ['productId', 'state', 'id'], { name: 'stock_moves_product_state' });
  await q.addIndex('stock_moves', ['saleLineId'], { name: 'stock_moves_sale_line' });
  await q.addIndex('stock_moves', ['originMoveId'], { name: 'stock_moves_origin' });

  for (const kind of ['OUT', 'IN', 'RET']) {
    await q.bulkInsert('sequences', [{ code: `picking:WH:${kind}`, prefix: `WH/${kind}/`, padding: 5, nextValue: 1 }]);
  }
}

export async function down({ context: q }: Ctx): Promise<void> {
  await q.bulkDelete('sequences', { code: ['picking:WH:OUT', 'picking:WH:IN', 'picking:WH:RET'] });
  await q.dropTable('stock_moves');
  await q.dropTable('stock_pickings');
  await q.dropTable('stock_quants');
}
