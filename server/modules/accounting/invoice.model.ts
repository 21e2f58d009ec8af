import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { InvoiceState, MoveType, PaymentMethod, PaymentState } from '../../../contracts/states';
import { decimal, idColumn, jsonText, money, timestampColumns, versionColumn } from '../../db/columns';

export type LineTax = { taxId: number; amount: number };

export class InvoiceModel extends Model<InferAttributes<InvoiceModel>, InferCreationAttributes<InvoiceModel>> {
  declare id: CreationOptional<number>;
  /** INV/2026/00001, given at posting; null while a draft. */
  declare name: string | null;
  declare moveType: MoveType;
  declare state: InvoiceState;
  declare paymentState: PaymentState;
  declare partnerId: number;
  declare saleOrderId: number | null;
  /** A vendor bill or vendor credit note: the purchase order it bills. */
  declare purchaseOrderId: CreationOptional<number | null>;
  /** A credit note: the invoice it credits. */
  declare reversedInvoiceId: number | null;
  /** A credit note for a return: the return picking. */
  declare pickingId: number | null;
  declare journalId: number;
  declare invoiceDate: string | null;
  declare dueDate: string | null;
  declare currency: string;
  declare amountUntaxed: number;
  declare amountTax: number;
  declare amountTotal: number;
  declare amountResidual: number;
  declare paymentReference: string | null;
  /** Who created it once and for all (a batch and its order or customer): a second creation finds it. */
  declare originKey: string | null;
  declare reason: string | null;
  declare note: string | null;
  /** The discount codes of the orders it invoices. */
  declare discountCode: CreationOptional<string | null>;
  declare postedAt: Date | null;
  declare sentAt: Date | null;
  declare createdById: number | null;
  declare version: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare lines?: InvoiceLineModel[];
}

export class InvoiceLineModel extends Model<InferAttributes<InvoiceLineModel>, InferCreationAttributes<InvoiceLineModel>> {
  declare id: CreationOptional<number>;
  declare invoiceId: number;
  declare sequence: number;
  declare saleLineId: number | null;
  /** A vendor bill's line: the purchase order line it bills. */
  declare purchaseLineId: CreationOptional<number | null>;
  /** A credit note's line: the invoice line it credits. */
  declare reversedLineId: number | null;
  declare productId: number | null;
  declare description: string;
  declare quantity: number;
  declare unitPrice: number;
  declare discount: number;
  /** A fixed amount off the line. */
  declare discountAmount: CreationOptional<number>;
  /** The line's share of its order's order discount. */
  declare orderDiscount: CreationOptional<number>;
  declare taxIds: number[];
  declare taxAmounts: LineTax[];
  declare subtotal: number;
  declare amountTax: number;
  declare total: number;
  declare accountId: number | null;
}

export class PaymentModel extends Model<InferAttributes<PaymentModel>, InferCreationAttributes<PaymentModel>> {
  declare id: CreationOptional<number>;
  declare invoiceId: number;
  declare partnerId: number;
  declare journalId: number;
  /** inbound: the customer pays us; outbound: we pay a refund back. */
  declare direction: 'inbound' | 'outbound';
  declare method: PaymentMethod;
  declare amount: number;
  /** What settled the invoice; the rest (amount − applied) is the customer's credit with us. */
  declare amountApplied: number;
  declare date: string;
  declare memo: string | null;
  declare createdById: number | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class JournalEntryModel extends Model<InferAttributes<JournalEntryModel>, InferCreationAttributes<JournalEntryModel>> {
  declare id: CreationOptional<number>;
  declare journalId: number;
  declare invoiceId: number | null;
  declare paymentId: number | null;
  declare date: string;
  declare ref: string;
  declare createdAt: CreationOptional<Date>;
  declare items?: JournalItemModel[];
}

export class JournalItemModel extends Model<InferAttributes<JournalItemModel>, InferCreationAttributes<JournalItemModel>> {
  declare id: CreationOptional<number>;
  declare entryId: number;
  declare accountId: number;
  declare partnerId: number | null;
  declare taxId: number | null;
  declare invoiceId: number | null;
  declare label: string;
  declare debit: number;
  declare credit: number;
  declare date: string;
}

export function initInvoiceModels(sequelize: Sequelize): void {
  InvoiceModel.init(
    {
      id: idColumn,
      name: { type: DataTypes.STRING(30), allowNull: true },
      moveType: { type: DataTypes.STRING(12), allowNull: false },
      state: { type: DataTypes.STRING(10), allowNull: false },
      paymentState: { type: DataTypes.STRING(10), allowNull: false },
      partnerId: { type: DataTypes.INTEGER, allowNull: false },
      saleOrderId: { type: DataTypes.INTEGER, allowNull: true },
      purchaseOrderId: { type: DataTypes.INTEGER, allowNull: true },
      reversedInvoiceId: { type: DataTypes.INTEGER, allowNull: true },
      pickingId: { type: DataTypes.INTEGER, allowNull: true },
      journalId: { type: DataTypes.INTEGER, allowNull: false },
      invoiceDate: { type: DataTypes.STRING(10), allowNull: true },
      dueDate: { type: DataTypes.STRING(10), allowNull: true },
      currency: { type: DataTypes.STRING(3), allowNull: false },
      amountUntaxed: money('amountUntaxed'),
      amountTax: money('amountTax'),
      amountTotal: money('amountTotal'),
      amountResidual: money('amountResidual'),
      paymentReference: { type: DataTypes.STRING(60), allowNull: true },
      originKey: { type: DataTypes.STRING(120), allowNull: true },
      reason: { type: DataTypes.STRING(500), allowNull: true },
      note: { type: DataTypes.TEXT, allowNull: true },
      discountCode: { type: DataTypes.STRING(200), allowNull: true },
      postedAt: { type: DataTypes.DATE(3), allowNull: true },
      sentAt: { type: DataTypes.DATE(3), allowNull: true },
      createdById: { type: DataTypes.INTEGER, allowNull: true },
      version: versionColumn,
      ...timestampColumns,
    },
    { sequelize, tableName: 'invoices', version: true },
  );
  InvoiceLineModel.init(
    {
      id: idColumn,
      invoiceId: { type: DataTypes.INTEGER, allowNull: false },
      sequence: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      saleLineId: { type: DataTypes.INTEGER, allowNull: true },
      purchaseLineId: { type: DataTypes.INTEGER, allowNull: true },
      reversedLineId: { type: DataTypes.INTEGER, allowNull: true },
      productId: { type: DataTypes.INTEGER, allowNull: true },
      description: { type: DataTypes.TEXT, allowNull: false },
      quantity: decimal('quantity', 16, 3),
      unitPrice: money('unitPrice'),
      discount: decimal('discount', 5, 2),
      discountAmount: money('discountAmount'),
      orderDiscount: money('orderDiscount'),
      taxIds: jsonText<number[]>('taxIds', [], DataTypes.STRING(200)),
      taxAmounts: jsonText<LineTax[]>('taxAmounts', []),
      subtotal: money('subtotal'),
      amountTax: money('amountTax'),
      total: money('total'),
      accountId: { type: DataTypes.INTEGER, allowNull: true },
    },
    { sequelize, tableName: 'invoice_lines', timestamps: false },
  );
  PaymentModel.init(
    {
      id: idColumn,
      invoiceId: { type: DataTypes.INTEGER, allowNull: false },
      partnerId: { type: DataTypes.INTEGER, allowNull: false },
      journalId: { type: DataTypes.INTEGER, allowNull: false },
      direction: { type: DataTypes.STRING(10), allowNull: false },
      method: { type: DataTypes.STRING(10), allowNull: false },
      amount: money('amount'),
      amountApplied: money('amountApplied'),
      date: { type: DataTypes.STRING(10), allowNull: false },
      memo: { type: DataTypes.STRING(200), allowNull: true },
      createdById: { type: DataTypes.INTEGER, allowNull: true },
      ...timestampColumns,
    },
    { sequelize, tableName: 'payments' },
  );
  JournalEntryModel.init(
    {
      id: idColumn,
      journalId: { type: DataTypes.INTEGER, allowNull: false },
      invoiceId: { type: DataTypes.INTEGER, allowNull: true },
      paymentId: { type: DataTypes.INTEGER, allowNull: true },
      date: { type: DataTypes.STRING(10), allowNull: false },
      ref: { type: DataTypes.STRING(60), allowNull: false },
      createdAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'journal_entries', updatedAt: false },
  );
  JournalItemModel.init(
    {
      id: idColumn,
      entryId: { type: DataTypes.INTEGER, allowNull: false },
      accountId: { type: DataTypes.INTEGER, allowNull: false },
      partnerId: { type: DataTypes.INTEGER, allowNull: true },
      taxId: { type: DataTypes.INTEGER, allowNull: true },
      invoiceId: { type: DataTypes.INTEGER, allowNull: true },
      label: { type: DataTypes.STRING(200), allowNull: false },
      debit: money('debit'),
      credit: money('credit'),
      date: { type: DataTypes.STRING(10), allowNull: false },
    },
    { sequelize, tableName: 'journal_items', timestamps: false },
  );
  InvoiceModel.hasMany(InvoiceLineModel, { foreignKey: 'invoiceId', as: 'lines' });
  InvoiceLineModel.belongsTo(InvoiceModel, { foreignKey: 'invoiceId', as: 'invoice' });
  JournalEntryModel.hasMany(JournalItemModel, { foreignKey: 'entryId', as: 'items' });
}
