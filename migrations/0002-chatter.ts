import { DataTypes, type QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

export async function up({ context: q }: Ctx): Promise<void> {
  await q.createTable('messages', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    model: { type: DataTypes.STRING(20), allowNull: false },
    resId: { type: DataTypes.INTEGER, allowNull: false },
    type: { type: DataTypes.STRING(10), allowNull: false },
    body: { type: DataTypes.TEXT, allowNull: false },
    authorId: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' },
    authorPartnerId: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'partners', key: 'id' }, onDelete: 'SET NULL' },
    tracking: { type: DataTypes.TEXT, allowNull: true },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await q.addIndex('messages', ['model', 'resId', 'id'], { name: 'messages_record' });

  await q.createTable('followers', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    model: { type: DataTypes.STRING(20), allowNull: false },
    resId: { type: DataTypes.INTEGER, allowNull: false },
    userId: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' },
    partnerId: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'partners', key: 'id' }, onDelete: 'CASCADE' },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await q.addIndex('followers', ['model', 'resId'], { name: 'followers_record' });
}

export async function down({ context: q }: Ctx): Promise<void> {
  await q.dropTable('followers');
  await q.dropTable('messages');
}
