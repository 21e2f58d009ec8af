import { DataTypes, type QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

// Column mappings of CSV imports saved under a name, to be used again for the next file of that kind.
export async function up({ context: q }: Ctx): Promise<void> {
  await q.createTable('import_profiles', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    name: { type: DataTypes.STRING(100), allowNull: false },
    mapping: { type: DataTypes.TEXT, allowNull: false },
    createdById: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
    updatedAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await q.addIndex('import_profiles', ['name'], { unique: true, name: 'import_profiles_name_unique' });
}

export async function down({ context: q }: Ctx): Promise<void> {
  await q.dropTable('import_profiles');
}
