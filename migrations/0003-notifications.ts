import { DataTypes, type QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

export async function up({ context: q }: Ctx): Promise<void> {
  await q.createTable('notifications', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    userId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' },
    messageId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'messages', key: 'id' }, onDelete: 'CASCADE' },
    reason: { type: DataTypes.STRING(10), allowNull: false },
    isRead: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await q.addIndex('notifications', ['userId', 'isRead', 'id'], { name: 'notifications_inbox' });
}

export async function down({ context: q }: Ctx): Promise<void> {
  await q.dropTable('notifications');
}
