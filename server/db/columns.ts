import { DataTypes, type DataType, type ModelAttributeColumnOptions, type Model } from 'sequelize';

// JSON kept in a text column: portable across SQLite and MariaDB (whose JSON type mysql2 returns as text).
export function jsonText<T>(field: string, fallback: T, type: DataType = DataTypes.TEXT): ModelAttributeColumnOptions<Model> {
  return {
    type,
    allowNull: false,
    get(this: Model) {
      const raw = this.getDataValue(field) as string | null;
      return raw ? (JSON.parse(raw) as T) : fallback;
    },
    set(this: Model, value: T) {
      this.setDataValue(field, JSON.stringify(value ?? fallback));
    },
  };
}

export function nullableJsonText<T>(field: string): ModelAttributeColumnOptions<Model> {
  return {
    type: DataTypes.TEXT,
    allowNull: true,
    get(this: Model) {
      const raw = this.getDataValue(field) as string | null;
      return raw ? (JSON.parse(raw) as T) : null;
    },
    set(this: Model, value: T | null) {
      this.setDataValue(field, value == null ? null : JSON.stringify(value));
    },
  };
}

// DECIMAL comes back as a string from mysql2; every decimal attribute reads as a number.
export function decimal(field: string, precision: number, scale: number): ModelAttributeColumnOptions<Model> {
  return {
    type: DataTypes.DECIMAL(precision, scale),
    allowNull: false,
    defaultValue: 0,
    get(this: Model) {
      return Number(this.getDataValue(field) ?? 0);
    },
  };
}

// BIGINT money columns read as numbers (integers below 2^53 are exact).
export function money(field: string): ModelAttributeColumnOptions<Model> {
  return {
    type: DataTypes.BIGINT,
    allowNull: false,
    defaultValue: 0,
    get(this: Model) {
      return Number(this.getDataValue(field) ?? 0);
    },
  };
}

// The columns most tables share.
export const idColumn = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true } as const;
export const versionColumn = { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 } as const;
export const timestampColumns = { createdAt: DataTypes.DATE(3), updatedAt: DataTypes.DATE(3) } as const;

export function iso(d: Date | string | null | undefined): string {
  if (!d) return '';
  return (d instanceof Date ? d : new Date(d)).toISOString();
}
