import { DataTypes, type QueryInterface } from 'sequelize';

type Ctx = { context: QueryInterface };

// A received email that names a record but is not proven to come from its people (an unsigned or
// guessed reply address, a sender who is not among the record's partners) waits in the unassigned
// inbox, flagged, with the record it names kept as a suggestion for staff.
export async function up({ context: q }: Ctx): Promise<void> {
  await q.addColumn('mail_inbound', 'unverifiedSender', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
  await q.addColumn('mail_inbound', 'suggestedModel', { type: DataTypes.STRING(20), allowNull: true });
  await q.addColumn('mail_inbound', 'suggestedResId', { type: DataTypes.INTEGER, allowNull: true });
}

export async function down({ context: q }: Ctx): Promise<void> {
  await q.removeColumn('mail_inbound', 'suggestedResId');
  await q.removeColumn('mail_inbound', 'suggestedModel');
  await q.removeColumn('mail_inbound', 'unverifiedSender');
}
