import type { QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

// The order board at a million orders (issue 18). Every filter and sort the board offers reads an index,
// with id as the tie-breaker (the keyset cursor's order), and the counts stop at a threshold instead of
// reading every row. The customer search reads a full-text index of partners (name, email): FTS5 on
// SQLite (accents folded), an InnoDB FULLTEXT index on MariaDB (its collation folds accents and case).

const INDEXES: [string, string[]][] = [
  // Sorts: the field, then id.
  ['sale_orders_created_id', ['createdAt', 'id']],
  ['sale_orders_date_id', ['dateOrder', 'id']],
  ['sale_orders_total_id', ['amountTotal', 'id']],
  ['sale_orders_updated_id', ['updatedAt', 'id']],
  ['sale_orders_state_id', ['state', 'id']],
  // Filters with the default sort (newest first); the state with the other sort the board leads with.
  ['sale_orders_partner_created', ['partnerId', 'createdAt', 'id']],
  ['sale_orders_attention_created', ['needsAttention', 'createdAt', 'id']],
  ['sale_orders_invoice_created', ['invoiceStatus', 'createdAt', 'id']],
  ['sale_orders_delivery_created', ['deliveryStatus', 'createdAt', 'id']],
  ['sale_orders_channel_created', ['channelId', 'createdAt', 'id']],
  ['sale_orders_creator_created', ['createdById', 'createdAt', 'id']],
  // A salesperson limited to their own orders: the kanban's columns and their counts.
  ['sale_orders_creator_state', ['createdById', 'state', 'createdAt', 'id']],
  ['sale_orders_state_total', ['state', 'amountTotal', 'id']],
  // The search by the shop's order id (the unique index leads with the channel).
  ['sale_orders_external', ['externalId']],
];

// Replaced by the wider indexes above (same leading columns).
const REPLACED: [string, string[]][] = [
  ['sale_orders_created', ['createdAt']],
  ['sale_orders_partner', ['partnerId']],
];

export async function up({ context: q }: Ctx): Promise<void> {
  for (const [name, fields] of INDEXES) await q.addIndex('sale_orders', fields, { name });
  for (const [name] of REPLACED) await q.removeIndex('sale_orders', name);
  if (q.sequelize.getDialect() === 'sqlite') {
    await q.sequelize.query(
      `CREATE VIRTUAL TABLE partners_fts USING fts5(name, email, content='partners', content_rowid='id', tokenize="unicode61 remove_diacritics 2")`,
    );
    await q.sequelize.query(
      'CREATE TRIGGER partners_fts_insert AFTER INSERT ON partners BEGIN INSERT INTO partners_fts (rowid, name, email) VALUES (new.id, new.name, new.email); END',
    );
    await q.sequelize.query(
      `CREATE TRIGGER partners_fts_delete AFTER DELETE ON partners BEGIN INSERT INTO partners_fts (partners_fts, rowid, name, email) VALUES ('delete', old.id, old.name, old.email); END`,
    );
    await q.sequelize.query(
      `CREATE TRIGGER partners_fts_update AFTER UPDATE OF name, email ON partners BEGIN
         INSERT INTO partners_fts (partners_fts, rowid, name, email) VALUES ('delete', old.id, old.name, old.email);
         INSERT INTO partners_fts (rowid, name, email) VALUES (new.id, new.name, new.email);
       END`,
    );
    await q.sequelize.query(`INSERT INTO partners_fts (partners_fts) VALUES ('rebuild')`);
  } else {
    await q.sequelize.query('ALTER TABLE partners ADD FULLTEXT INDEX partners_fulltext (name, email)');
  }
}

export async function down({ context: q }: Ctx): Promise<void> {
  if (q.sequelize.getDialect() === 'sqlite') {
    for (const t of ['partners_fts_insert', 'partners_fts_delete', 'partners_fts_update']) await q.sequelize.query(`DROP TRIGGER IF EXISTS ${t}`);
    await q.sequelize.query('DROP TABLE IF EXISTS partners_fts');
  } else {
    await q.removeIndex('partners', 'partners_fulltext');
  }
  for (const [name, fields] of REPLACED) await q.addIndex('sale_orders', fields, { name });
  for (const [name] of INDEXES) await q.removeIndex('sale_orders', name);
}
