import { DataTypes, type QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };
const timestamps = { createdAt: { type: DataTypes.DATE(3), allowNull: false }, updatedAt: { type: DataTypes.DATE(3), allowNull: false } };

// Sales channels: the shops whose orders come in (connectors with sealed credentials and a sync
// cursor), and the webhook deliveries already taken, so a repeated delivery changes nothing.
export async function up({ context: q }: Ctx): Promise<void> {
  await q.createTable('channels', {
    id,
    kind: { type: DataTypes.STRING(20), allowNull: false },
    name: { type: DataTypes.STRING(100), allowNull: false },
    settings: { type: DataTypes.TEXT, allowNull: false },
    credentials: { type: DataTypes.TEXT, allowNull: true },
    syncIntervalMinutes: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 15 },
    cursor: { type: DataTypes.STRING(100), allowNull: true },
    active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    lastSyncAt: { type: DataTypes.DATE(3), allowNull: true },
    lastError: { type: DataTypes.STRING(2000), allowNull: true },
    lastErrorAt: { type: DataTypes.DATE(3), allowNull: true },
    version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    ...timestamps,
  });
  await q.addIndex('channels', ['name'], { unique: true, name: 'channels_name_unique' });

  await q.createTable('channel_deliveries', {
    id,
    channelId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'channels', key: 'id' }, onDelete: 'CASCADE' },
    deliveryId: { type: DataTypes.STRING(190), allowNull: false },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await q.addIndex('channel_deliveries', ['channelId', 'deliveryId'], { unique: true, name: 'channel_deliveries_unique' });
}

export async function down({ context: q }: Ctx): Promise<void> {
  await q.dropTable('channel_deliveries');
  await q.dropTable('channels');
}
