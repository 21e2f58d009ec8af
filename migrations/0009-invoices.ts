import { DataTypes, type QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };
const money = { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 };
const day = (allowNull: boolean) => ({ type: DataTypes.STRING(10), allowNull });
const ref = (table: string, onDelete: 'CASCADE' | 'SET NULL' | 'RESTRICT', allowNull = true) => ({
  type: DataTypes.INTEGER,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete,
});
const timestamps = { createdAt: { type: DataTypes.DATE(3), allowNull: false }, updatedAt: { type: DataTypes.DATE(3), allowNull: false } };

// Invoicing: invoices and credit notes with their lines, the journal entries written when they are
// posted or paid (one row per debit or credit), and payments. Dates of accounting are days (YYYY-MM-DD).
export async function up({ context: q }: Ctx): Promise<void> {
  await q.createTable('invoices', {
    id,
    name: { type: DataTypes.STRING(30), allowNull: true },
    moveType: { type: DataTypes.STRING(12), allowNull: false },
    state: { type: DataTypes.STRING(10), allowNull: false },
    paymentState: { type: DataTypes.STRING(10), allowNull: false },
    partnerId: ref('partners', 'RESTRICT', false),
    saleOrderId: ref('sale_orders', 'SET NULL'),
    reversedInvoiceId: ref('invoices', 'RESTRICT'),
    pickingId: ref('stock_pickings', 'SET NULL'),
    journalId: ref('journals', 'RESTRICT', false),
    invoiceDate: day(true),
    dueDate: day(true),
    currency: { type: DataTypes.STRING(3), allowNull: false },
    amountUntaxed: money,
    amountTax: money,
    amountTotal: money,
    amountResidual: money,
    paymentReference: { type: DataTypes.STRING(60), allowNull: true },
    originKey: { type: DataTypes.STRING(120), allowNull: true },
    reason: { type: DataTypes.STRING(500), allowNull: true },
    note: { type: DataTypes.TEXT, allowNull: true },
    postedAt: { type: DataTypes.DATE(3), allowNull: true },
    sentAt: { type: DataTypes.DATE(3), allowNull: true },
    createdById: ref('users', 'SET NULL'),
    version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    ...timestamps,
  });
  await q.addIndex('invoices', ['name'], { unique: true, name: 'invoices_name_unique' });
  await q.addIndex('invoices', ['originKey'], { unique: true, name: 'invoices_origin_key_unique' });
  await q.addIndex('invoices', ['partnerId', 'state'], { name: 'invoices_partner_state' });
  await q.addIndex('invoices', ['saleOrderId'], { name: 'invoices_sale_order' });
  await q.addIndex('invoices', ['reversedInvoiceId'], { name: 'invoices_reversed' });
  await q.addIndex('invoices', ['state', 'moveType', 'invoiceDate'], { name: 'invoices_list' });

  await q.createTable('invoice_lines', {
    id,
    invoiceId: ref('invoices', 'CASCADE', false),
    sequence: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    saleLineId: ref('sale_order_lines', 'SET NULL'),
    reversedLineId: ref('invoice_lines', 'SET NULL'),
    productId: ref('products', 'RESTRICT'),
    description: { type: DataTypes.TEXT, allowNull: false },
    quantity: { type: DataTypes.DECIMAL(16, 3), allowNull: false, defaultValue: 0 },
    unitPrice: money,
    discount: { type: DataTypes.DECIMAL(5, 2), allowNull: false, defaultValue: 0 },
    taxIds: { type: DataTypes.STRING(200), allowNull: false },
    taxAmounts: { type: DataTypes.TEXT, allowNull: false },
    subtotal: money,
    amountTax: money,
    total: money,
    accountId: ref('accounts', 'RESTRICT'),
  });
  await q.addIndex('invoice_lines', ['invoiceId'], { name: 'invoice_lines_invoice' });
  await q.addIndex('invoice_lines', ['saleLineId'], { name: 'invoice_lines_sale_line' });
  await q.addIndex('invoice_lines', ['reversedLineId'], { name: 'invoice_lines_reversed' });

  await q.createTable('payments', {
    id,
    invoiceId: ref('invoices', 'RESTRICT', false),
    partnerId: ref('partners', 'RESTRICT', false),
    journalId: ref('journals', 'RESTRICT', false),
    direction: { type: DataTypes.STRING(10), allowNull: false },
    method: { type: DataTypes.STRING(10), allowNull: false },
    amount: money,
    amountApplied: money,
    date: day(false),
    memo: { type: DataTypes.STRING(200), allowNull: true },
    createdById: ref('users', 'SET NULL'),
    ...timestamps,
  });
  await q.addIndex('payments', ['invoiceId'], { name: 'payments_invoice' });
  await q.addIndex('payments', ['partnerId'], { name: 'payments_partner' });

  await q.createTable('journal_entries', {
    id,
    journalId: ref('journals', 'RESTRICT', false),
    invoiceId: ref('invoices', 'RESTRICT'),
    paymentId: ref('payments', 'RESTRICT'),
    date: day(false),
    ref: { type: DataTypes.STRING(60), allowNull: false },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await q.addIndex('journal_entries', ['invoiceId'], { name: 'journal_entries_invoice' });
  await q.addIndex('journal_entries', ['paymentId'], { name: 'journal_entries_payment' });

  await q.createTable('journal_items', {
    id,
    entryId: ref('journal_entries', 'RESTRICT', false),
    accountId: ref('accounts', 'RESTRICT', false),
    partnerId: ref('partners', 'RESTRICT'),
    taxId: ref('taxes', 'RESTRICT'),
    invoiceId: ref('invoices', 'RESTRICT'),
    label: { type: DataTypes.STRING(200), allowNull: false },
    debit: money,
    credit: money,
    date: day(false),
  });
  await q.addIndex('journal_items', ['entryId'], { name: 'journal_items_entry' });
  await q.addIndex('journal_items', ['accountId', 'date'], { name: 'journal_items_account' });
  await q.addIndex('journal_items', ['partnerId', 'accountId'], { name: 'journal_items_partner' });
  await q.addIndex('journal_items', ['invoiceId'], { name: 'journal_items_invoice' });

  // An email whose send was under way when its worker died: the provider is asked before it is sent again.
  await q.addColumn('mail_outbox', 'sendingAt', { type: DataTypes.DATE(3), allowNull: true });

  // Company settings of invoicing: the payment term, and the automation rule.
  await q.addColumn('company', 'paymentTermDays', { type: DataTypes.INTEGER, allowNull: false, defaultValue: 30 });
  await q.addColumn('company', 'autoInvoiceDeliveries', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
}

export async function down({ context: q }: Ctx): Promise<void> {
  await q.removeColumn('mail_outbox', 'sendingAt');
  await q.removeColumn('company', 'autoInvoiceDeliveries');
  await q.removeColumn('company', 'paymentTermDays');
  for (const table of ['journal_items', 'journal_entries', 'payments', 'invoice_lines', 'invoices']) await q.dropTable(table);
}
