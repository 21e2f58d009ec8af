import { DataTypes, QueryTypes, type QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

// One follower row per (record, user or partner): `followerKey` is `u:<userId>` or `p:<partnerId>`,
// unique per record, so two concurrent follows cannot both insert.
export async function up({ context: q }: Ctx): Promise<void> {
  await q.addColumn('followers', 'followerKey', { type: DataTypes.STRING(30), allowNull: true });
  const rows = await q.sequelize.query<{ id: number; model: string; resId: number; userId: number | null; partnerId: number | null }>(
    'SELECT id, model, resId, userId, partnerId FROM followers ORDER BY id',
    { type: QueryTypes.SELECT },
  );
  const seen = new Set<string>();
  for (const r of rows) {
    const key = r.userId !== null ? `u:${r.userId}` : `p:${r.partnerId}`;
    const unique = `${r.model}:${r.resId}:${key}`;
    if (seen.has(unique)) await q.bulkDelete('followers', { id: r.id });
    else await q.bulkUpdate('followers', { followerKey: key }, { id: r.id });
    seen.add(unique);
  }
  await q.addIndex('followers', ['model', 'resId', 'followerKey'], { unique: true, name: 'followers_unique' });
}

export async function down({ context: q }: Ctx): Promise<void> {
  await q.removeIndex('followers', 'followers_unique');
  await q.removeColumn('followers', 'followerKey');
}
