import { DataTypes, type QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };
const ref = (table: string, onDelete: 'CASCADE' | 'SET NULL' | 'RESTRICT', allowNull = true) => ({
  type: DataTypes.INTEGER,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete,
});
const timestamps = { createdAt: { type: DataTypes.DATE(3), allowNull: false }, updatedAt: { type: DataTypes.DATE(3), allowNull: false } };

// Vendors in the loop: a vendor may have an order endpoint (its URL, a sealed signing secret) that
// receives a signed JSON notification of each purchase order confirmed for it; those notifications are
// rows (an outbox of their own, sent by a job with retries); the vendor portal's links are rows too
// (signed, expiring, revocable, one document each); a PO remembers when its vendor accepted it.
export async function up({ context: q }: Ctx): Promise<void> {
  await q.addColumn('partners', 'orderEndpointUrl', { type: DataTypes.STRING(500), allowNull: true });
  await q.addColumn('partners', 'orderEndpointSecret', { type: DataTypes.TEXT, allowNull: true });
  await q.addColumn('partners', 'orderEndpointActive', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });

  await q.createTable('vendor_notifications', {
    id,
    // The idempotency key, sent as the Idempotency-Key header: one row per key, ever.
    key: { type: DataTypes.STRING(120), allowNull: false },
    purchaseOrderId: ref('purchase_orders', 'CASCADE', false),
    partnerId: ref('partners', 'RESTRICT', false),
    event: { type: DataTypes.STRING(40), allowNull: false },
    payload: { type: DataTypes.TEXT, allowNull: false },
    status: { type: DataTypes.STRING(10), allowNull: false },
    attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    sends: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    lastError: { type: DataTypes.TEXT, allowNull: true },
    responseStatus: { type: DataTypes.INTEGER, allowNull: true },
    sendingAt: { type: DataTypes.DATE(3), allowNull: true },
    sentAt: { type: DataTypes.DATE(3), allowNull: true },
    ...timestamps,
  });
  await q.addIndex('vendor_notifications', ['key'], { unique: true, name: 'vendor_notifications_key_unique' });
  await q.addIndex('vendor_notifications', ['purchaseOrderId'], { name: 'vendor_notifications_purchase_order' });
  await q.addIndex('vendor_notifications', ['status'], { name: 'vendor_notifications_status' });

  await q.createTable('portal_tokens', {
    id,
    purchaseOrderId: ref('purchase_orders', 'CASCADE', false),
    partnerId: ref('partners', 'RESTRICT', false),
    expiresAt: { type: DataTypes.DATE(3), allowNull: false },
    revokedAt: { type: DataTypes.DATE(3), allowNull: true },
    revokedById: ref('users', 'SET NULL'),
    lastUsedAt: { type: DataTypes.DATE(3), allowNull: true },
    ...timestamps,
  });
  await q.addIndex('portal_tokens', ['purchaseOrderId'], { name: 'portal_tokens_purchase_order' });

  await q.addColumn('purchase_orders', 'vendorAcceptedAt', { type: DataTypes.DATE(3), allowNull: true });
}

export async function down({ context: q }: Ctx): Promise<void> {
  await q.removeColumn('purchase_orders', 'vendorAcceptedAt');
  await q.dropTable('portal_tokens');
  await q.dropTable('vendor_notifications');
  await q.removeColumn('partners', 'orderEndpointActive');
  await q.removeColumn('partners', 'orderEndpointSecret');
  await q.removeColumn('partners', 'orderEndpointUrl');
}
