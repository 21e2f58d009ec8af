import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { JobState } from '../../../contracts/states';
import { jsonText, nullableJsonText, timestampColumns } from '../../db/columns';

/** A job a person started, kept in the database: its queue job is made from it (same id). */
export class JobRunModel extends Model<InferAttributes<JobRunModel>, InferCreationAttributes<JobRunModel>> {
  /** The job id, `<queue name>.<id within the queue>`. */
  declare id: string;
  declare name: string;
  declare userId: number | null;
  declare data: Record<string, unknown>;
  declare state: JobState;
  declare progress: CreationOptional<number>;
  declare result: CreationOptional<unknown>;
  declare failedReason: CreationOptional<string | null>;
  /** The run that holds the row (one at a time), and when it last said it is alive. */
  declare runToken: CreationOptional<string | null>;
  declare heartbeatAt: CreationOptional<Date | null>;
  declare finishedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initJobModels(sequelize: Sequelize): void {
  JobRunModel.init(
    {
      id: { type: DataTypes.STRING(191), primaryKey: true },
      name: { type: DataTypes.STRING(40), allowNull: false },
      userId: { type: DataTypes.INTEGER, allowNull: true },
      data: jsonText<Record<string, unknown>>('data', {}),
      state: { type: DataTypes.STRING(20), allowNull: false },
      progress: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      result: nullableJsonText<unknown>('result'),
      failedReason: { type: DataTypes.TEXT, allowNull: true },
      runToken: { type: DataTypes.STRING(64), allowNull: true },
      heartbeatAt: { type: DataTypes.DATE(3), allowNull: true },
      finishedAt: { type: DataTypes.DATE(3), allowNull: true },
      ...timestampColumns,
    },
    { sequelize, tableName: 'job_runs' },
  );
}
