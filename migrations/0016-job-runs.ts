import { DataTypes, type QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

// The jobs a person starts (CSV imports, exports, invoice batches) are rows first: the queue job is
// made from the row (its id is the row's), so a job Redis lost is queued again, and its state is read
// from here, never lost with Redis.
export async function up({ context: q }: Ctx): Promise<void> {
  // A batch's ids and an import's report can be long: MEDIUMTEXT on MySQL (SQLite's TEXT has no size).
  const longText = q.sequelize.getDialect() === 'mysql' ? DataTypes.TEXT('medium') : DataTypes.TEXT;
  await q.createTable('job_runs', {
    id: { type: DataTypes.STRING(191), primaryKey: true, allowNull: false },
    name: { type: DataTypes.STRING(40), allowNull: false },
    userId: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' },
    data: { type: longText, allowNull: false },
    state: { type: DataTypes.STRING(20), allowNull: false },
    progress: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    result: { type: longText, allowNull: true },
    failedReason: { type: DataTypes.TEXT, allowNull: true },
    runToken: { type: DataTypes.STRING(64), allowNull: true },
    heartbeatAt: { type: DataTypes.DATE(3), allowNull: true },
    finishedAt: { type: DataTypes.DATE(3), allowNull: true },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
    updatedAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await q.addIndex('job_runs', ['state'], { name: 'job_runs_state' });
}

export async function down({ context: q }: Ctx): Promise<void> {
  await q.dropTable('job_runs');
}
