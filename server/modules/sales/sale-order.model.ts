import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Address, AttentionReason } from '../../../contracts/schemas/sales';
import type { DeliveryStatus, InvoiceStatus, SaleOrderState } from '../../../contracts/states';
import { decimal, idColumn, jsonText, money, nullableJsonText, timestampColumns, versionColumn } from '../../db/columns';
import type { ProductRecord } from '../catalog/product.service';
import type { PartnerRecord } from '../partners/partner.service';

export class SaleOrderModel extends Model<InferAttributes<SaleOrderModel>, InferCreationAttributes<SaleOrderModel>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare partnerId: number;
  declare shippingAddress: Address | null;
  declare warehouseId: number | null;
  declare channelId: number | null;
  declare externalId: string | null;
  /** The shop's own order number ("#1002"), as the customer knows the order. */
  declare reference: CreationOptional<string | null>;
  /** Fingerprint of the shop's version of the order it was last made from. */
  declare externalHash: CreationOptional<string | null>;
  /** The shop's time of that version: an older one is never applied over it. */
  declare externalUpdatedAt: CreationOptional<Date | null>;
  declare needsAttention: CreationOptional<boolean>;
  /** Why it needs attention (what a person has to look at); empty when flagged by hand or not at all. */
  declare attentionReasons: CreationOptional<AttentionReason[]>;
  declare note: string | null;
  /** The discount codes the customer used. */
  declare discountCode: CreationOptional<string | null>;
  /** A fixed amount off the order before taxes, spread over its lines (shipping aside). */
  declare orderDiscount: CreationOptional<number>;
  declare dateOrder: Date;
  declare state: SaleOrderState;
  declare invoiceStatus: InvoiceStatus;
  declare deliveryStatus: DeliveryStatus;
  declare amountUntaxed: number;
  declare amountTax: number;
  declare amountTotal: number;
  declare currency: string;
  declare createdById: number | null;
  declare version: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare lines?: SaleOrderLineModel[];
  declare partner?: PartnerRecord;
}

export class SaleOrderLineModel extends Model<InferAttributes<SaleOrderLineModel>, InferCreationAttributes<SaleOrderLineModel>> {
  declare id: CreationOptional<number>;
  declare orderId: number;
  declare sequence: number;
  /** null: a shop's line whose product is not known here (unmatched), until someone matches it. */
  declare productId: number | null;
  /** The SKU the shop gave for an unmatched line. */
  declare externalSku: CreationOptional<string | null>;
  declare description: string;
  declare quantity: number;
  declare unitPrice: number;
  declare discount: number;
  /** A fixed amount off the whole line, after its percentage. */
  declare discountAmount: CreationOptional<number>;
  /** The line's share of the order discount (computed). */
  declare orderDiscount: CreationOptional<number>;
  /** A delivery charge: outside the order discount's base. */
  declare isShipping: CreationOptional<boolean>;
  declare taxIds: number[];
  declare subtotal: number;
  declare amountTax: number;
  declare total: number;
  declare qtyDelivered: CreationOptional<number>;
  declare qtyInvoiced: CreationOptional<number>;
  declare product?: ProductRecord;
}

/** A line with its product (every line of a confirmed order: unmatched lines keep an order from being confirmed). */
export type MatchedLine = SaleOrderLineModel & { productId: number };
export const isMatched = (l: SaleOrderLineModel): l is MatchedLine => l.productId !== null;

export function initSalesModels(sequelize: Sequelize): void {
  SaleOrderModel.init(
    {
      id: idColumn,
      name: { type: DataTypes.STRING(20), allowNull: false },
      partnerId: { type: DataTypes.INTEGER, allowNull: false },
      shippingAddress: nullableJsonText<Address>('shippingAddress'),
      warehouseId: { type: DataTypes.INTEGER, allowNull: true },
      channelId: { type: DataTypes.INTEGER, allowNull: true },
      externalId: { type: DataTypes.STRING(100), allowNull: true },
      reference: { type: DataTypes.STRING(100), allowNull: true },
      externalHash: { type: DataTypes.STRING(64), allowNull: true },
      externalUpdatedAt: { type: DataTypes.DATE(3), allowNull: true },
      needsAttention: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      attentionReasons: { ...jsonText<AttentionReason[]>('attentionReasons', []), allowNull: true },
      note: { type: DataTypes.TEXT, allowNull: true },
      discountCode: { type: DataTypes.STRING(200), allowNull: true },
      orderDiscount: money('orderDiscount'),
      dateOrder: { type: DataTypes.DATE(3), allowNull: false },
      state: { type: DataTypes.STRING(10), allowNull: false },
      invoiceStatus: { type: DataTypes.STRING(12), allowNull: false },
      deliveryStatus: { type: DataTypes.STRING(10), allowNull: false },
      amountUntaxed: money('amountUntaxed'),
      amountTax: money('amountTax'),
      amountTotal: money('amountTotal'),
      currency: { type: DataTypes.STRING(3), allowNull: false },
      createdById: { type: DataTypes.INTEGER, allowNull: true },
      version: versionColumn,
      ...timestampColumns,
    },
    { sequelize, tableName: 'sale_orders', version: true },
  );
  SaleOrderLineModel.init(
    {
      id: idColumn,
      orderId: { type: DataTypes.INTEGER, allowNull: false },
      sequence: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      productId: { type: DataTypes.INTEGER, allowNull: true },
      externalSku: { type: DataTypes.STRING(64), allowNull: true },
      description: { type: DataTypes.TEXT, allowNull: false },
      quantity: decimal('quantity', 14, 3),
      unitPrice: money('unitPrice'),
      discount: decimal('discount', 5, 2),
      discountAmount: money('discountAmount'),
      orderDiscount: money('orderDiscount'),
      isShipping: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      taxIds: jsonText<number[]>('taxIds', [], DataTypes.STRING(200)),
      subtotal: money('subtotal'),
      amountTax: money('amountTax'),
      total: money('total'),
      qtyDelivered: decimal('qtyDelivered', 14, 3),
      qtyInvoiced: decimal('qtyInvoiced', 14, 3),
    },
    { sequelize, tableName: 'sale_order_lines', timestamps: false },
  );
  SaleOrderModel.hasMany(SaleOrderLineModel, { foreignKey: 'orderId', as: 'lines' });
  // Other domains' models by name: sales never imports them.
  SaleOrderModel.belongsTo(sequelize.model('PartnerModel'), { foreignKey: 'partnerId', as: 'partner' });
  SaleOrderLineModel.belongsTo(sequelize.model('ProductModel'), { foreignKey: 'productId', as: 'product' });
}
