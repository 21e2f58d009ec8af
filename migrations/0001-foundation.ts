import { DataTypes, type QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };
const timestamps = {
  createdAt: { type: DataTypes.DATE(3), allowNull: false },
  updatedAt: { type: DataTypes.DATE(3), allowNull: false },
};
const version = { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 };
const money = (allowNull = false) => ({ type: DataTypes.BIGINT, allowNull, defaultValue: allowNull ? null : 0 });
const str = (len: number, allowNull = true) => ({ type: DataTypes.STRING(len), allowNull });
const ref = (table: string, onDelete: 'CASCADE' | 'RESTRICT' | 'SET NULL' = 'RESTRICT', allowNull = false) => ({
  type: DataTypes.INTEGER,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete,
  onUpdate: 'CASCADE',
});

export async function up({ context: q }: Ctx): Promise<void> {
  await q.createTable('users', {
    id,
    email: str(190, false),
    name: str(120, false),
    role: str(20, false),
    passwordHash: str(255, false),
    active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    version,
    ...timestamps,
  });
  await q.addIndex('users', ['email'], { unique: true, name: 'users_email_unique' });

  await q.createTable('sessions', {
    id: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
    userId: ref('users', 'CASCADE'),
    csrfToken: str(64, false),
    expiresAt: { type: DataTypes.DATE(3), allowNull: false },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await q.addIndex('sessions', ['userId'], { name: 'sessions_user' });

  await q.createTable('api_tokens', {
    id,
    userId: ref('users', 'CASCADE'),
    name: str(120, false),
    tokenHash: str(64, false),
    lastUsedAt: { type: DataTypes.DATE(3), allowNull: true },
    ...timestamps,
  });
  await q.addIndex('api_tokens', ['tokenHash'], { unique: true, name: 'api_tokens_hash_unique' });

  await q.createTable('company', {
    id,
    name: str(200, false),
    street: str(200),
    city: str(100),
    zip: str(20),
    countryCode: str(2),
    vatId: str(40),
    email: str(190),
    phone: str(50),
    currency: str(3, false),
    // A logo is a data URL: MEDIUMTEXT on MySQL (TEXT stops at 64 KB); SQLite's TEXT has no limit.
    logo: { type: q.sequelize.getDialect() === 'mysql' ? DataTypes.TEXT('medium') : DataTypes.TEXT, allowNull: true },
    version,
    ...timestamps,
  });

  await q.createTable('accounts', {
    id,
    code: str(20, false),
    name: str(120, false),
    type: str(20, false),
    ...timestamps,
  });
  await q.addIndex('accounts', ['code'], { unique: true, name: 'accounts_code_unique' });

  await q.createTable('taxes', {
    id,
    name: str(100, false),
    rate: { type: DataTypes.DECIMAL(8, 4), allowNull: false },
    accountId: ref('accounts', 'SET NULL', true),
    active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    version,
    ...timestamps,
  });

  await q.createTable('partners', {
    id,
    name: str(200, false),
    email: str(190),
    phone: str(50),
    isCompany: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    street: str(200),
    city: str(100),
    zip: str(20),
    countryCode: str(2),
    roles: { type: DataTypes.STRING(100), allowNull: false, defaultValue: '["customer"]' },
    active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    version,
    ...timestamps,
  });
  await q.addIndex('partners', ['name'], { name: 'partners_name' });
  await q.addIndex('partners', ['email'], { name: 'partners_email' });

  await q.createTable('products', {
    id,
    sku: str(64, false),
    name: str(200, false),
    type: str(20, false),
    listPrice: money(),
    cost: money(),
    taxIds: { type: DataTypes.STRING(200), allowNull: false, defaultValue: '[]' },
    invoicePolicy: str(20, false),
    routes: { type: DataTypes.STRING(100), allowNull: false, defaultValue: '[]' },
    active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    version,
    ...timestamps,
  });
  await q.addIndex('products', ['sku'], { unique: true, name: 'products_sku_unique' });
  await q.addIndex('products', ['name'], { name: 'products_name' });

  await q.createTable('product_vendors', {
    id,
    productId: ref('products', 'CASCADE'),
    partnerId: ref('partners', 'RESTRICT'),
    sequence: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    price: money(),
    minQty: { type: DataTypes.DECIMAL(14, 3), allowNull: false, defaultValue: 1 },
    leadDays: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
  });
  await q.addIndex('product_vendors', ['productId'], { name: 'product_vendors_product' });

  await q.createTable('warehouses', { id, name: str(100, false), code: str(10, false), ...timestamps });
  await q.addIndex('warehouses', ['code'], { unique: true, name: 'warehouses_code_unique' });

  await q.createTable('locations', {
    id,
    name: str(100, false),
    kind: str(20, false),
    warehouseId: ref('warehouses', 'RESTRICT', true),
    isReturns: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    ...timestamps,
  });

  await q.createTable('sale_orders', {
    id,
    name: str(20, false),
    partnerId: ref('partners'),
    shippingAddress: { type: DataTypes.TEXT, allowNull: true },
    warehouseId: ref('warehouses', 'RESTRICT', true),
    channelId: { type: DataTypes.INTEGER, allowNull: true },
    externalId: str(100),
    needsAttention: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    note: { type: DataTypes.TEXT, allowNull: true },
    dateOrder: { type: DataTypes.DATE(3), allowNull: false },
    state: str(10, false),
    invoiceStatus: str(12, false),
    deliveryStatus: str(10, false),
    amountUntaxed: money(),
    amountTax: money(),
    amountTotal: money(),
    currency: str(3, false),
    createdById: ref('users', 'SET NULL', true),
    version,
    ...timestamps,
  });
  await q.addIndex('sale_orders', ['name'], { unique: true, name: 'sale_orders_name_unique' });
  await q.addIndex('sale_orders', ['channelId', 'externalId'], { unique: true, name: 'sale_orders_channel_external_unique' });
  await q.addIndex('sale_orders', ['state', 'createdAt'], { name: 'sale_orders_state_created' });
  await q.addIndex('sale_orders', ['createdAt'], { name: 'sale_orders_created' });
  await q.addIndex('sale_orders', ['partnerId'], { name: 'sale_orders_partner' });

  await q.createTable('sale_order_lines', {
    id,
    orderId: ref('sale_orders', 'CASCADE'),
    sequence: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    productId: ref('products'),
    description: { type: DataTypes.TEXT, allowNull: false },
    quantity: { type: DataTypes.DECIMAL(14, 3), allowNull: false },
    unitPrice: money(),
    discount: { type: DataTypes.DECIMAL(5, 2), allowNull: false, defaultValue: 0 },
    taxIds: { type: DataTypes.STRING(200), allowNull: false, defaultValue: '[]' },
    subtotal: money(),
    amountTax: money(),
    total: money(),
    qtyDelivered: { type: DataTypes.DECIMAL(14, 3), allowNull: false, defaultValue: 0 },
    qtyInvoiced: { type: DataTypes.DECIMAL(14, 3), allowNull: false, defaultValue: 0 },
  });
  await q.addIndex('sale_order_lines', ['orderId'], { name: 'sale_order_lines_order' });

  await q.createTable('sequences', {
    code: { type: DataTypes.STRING(40), primaryKey: true, allowNull: false },
    prefix: str(20, false),
    padding: { type: DataTypes.INTEGER, allowNull: false },
    nextValue: { type: DataTypes.INTEGER, allowNull: false },
  });
  await q.bulkInsert('sequences', [{ code: 'sale.order', prefix: 'S', padding: 5, nextValue: 1 }]);

  // The main warehouse and the locations every flow needs.
  const now = new Date();
  await q.bulkInsert('warehouses', [{ id: 1, name: 'Main warehouse', code: 'WH', createdAt: now, updatedAt: now }]);
  await q.bulkInsert('locations', [
    { id: 1, name: 'WH/Stock', kind: 'internal', warehouseId: 1, isReturns: false, createdAt: now, updatedAt: now },
    { id: 2, name: 'WH/Returns', kind: 'internal', warehouseId: 1, isReturns: true, createdAt: now, updatedAt: now },
    { id: 3, name: 'Partners/Vendors', kind: 'vendor', warehouseId: null, isReturns: false, createdAt: now, updatedAt: now },
    { id: 4, name: 'Partners/Customers', kind: 'customer', warehouseId: null, isReturns: false, createdAt: now, updatedAt: now },
    { id: 5, name: 'Virtual/Inventory adjustment', kind: 'adjustment', warehouseId: null, isReturns: false, createdAt: now, updatedAt: now },
  ]);

  // A sensible default chart of accounts.
  const accounts: [string, string, string][] = [
    ['1200', 'Accounts receivable', 'receivable'],
    ['2000', 'Accounts payable', 'payable'],
    ['4000', 'Sales of goods', 'income'],
    ['4100', 'Sales of services', 'income'],
    ['5000', 'Cost of goods sold', 'expense'],
    ['2400', 'VAT collected', 'tax'],
    ['1400', 'VAT deductible', 'tax'],
    ['1010', 'Bank', 'bank'],
    ['1000', 'Cash', 'cash'],
  ];
  await q.bulkInsert(
    'accounts',
    accounts.map(([code, name, type]) => ({ code, name, type, createdAt: now, updatedAt: now })),
  );
}

export async function down({ context: q }: Ctx): Promise<void> {
  for (const table of [
    'sequences',
    'sale_order_lines',
    'sale_orders',
    'locations',
    'warehouses',
    'product_vendors',
    'products',
    'partners',
    'taxes',
    'accounts',
    'company',
    'api_tokens',
    'sessions',
    'users',
  ]) {
    await q.dropTable(table);
  }
}
