import { DataTypes, QueryTypes, type QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

// Journals: where entries are written (sales invoices, vendor bills, bank and cash payments), each with
// the account it posts to by default.
export async function up({ context: q }: Ctx): Promise<void> {
  await q.createTable('journals', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    code: { type: DataTypes.STRING(10), allowNull: false },
    name: { type: DataTypes.STRING(100), allowNull: false },
    type: { type: DataTypes.STRING(10), allowNull: false },
    defaultAccountId: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'accounts', key: 'id' }, onDelete: 'RESTRICT' },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
    updatedAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await q.addIndex('journals', ['code'], { unique: true, name: 'journals_code_unique' });
  const accounts = await q.sequelize.query<{ id: number; code: string }>('SELECT id, code FROM accounts', { type: QueryTypes.SELECT });
  const byCode = (code: string) => accounts.find((a) => a.code === code)?.id ?? null;
  const now = new Date();
  await q.bulkInsert('journals', [
    { code: 'SAL', name: 'Sales', type: 'sale', defaultAccountId: byCode('4000'), createdAt: now, updatedAt: now },
    { code: 'PUR', name: 'Purchases', type: 'purchase', defaultAccountId: byCode('5000'), createdAt: now, updatedAt: now },
    { code: 'BNK', name: 'Bank', type: 'bank', defaultAccountId: byCode('1010'), createdAt: now, updatedAt: now },
    { code: 'CSH', name: 'Cash', type: 'cash', defaultAccountId: byCode('1000'), createdAt: now, updatedAt: now },
  ]);
}

export async function down({ context: q }: Ctx): Promise<void> {
  await q.dropTable('journals');
}
