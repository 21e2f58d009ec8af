import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Address } from '../../../contracts/schemas/sales';
import type { DemandKind, PurchaseOrderState } from '../../../contracts/states';
import { decimal, idColumn, jsonText, money, nullableJsonText, timestampColumns, versionColumn } from '../../db/columns';
import type { PartnerRecord } from '../partners/partner.service';
import type { ProductRecord } from '../catalog/product.service';

export class PurchaseOrderModel extends Model<InferAttributes<PurchaseOrderModel>, InferCreationAttributes<PurchaseOrderModel>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare partnerId: number;
  declare warehouseId: number;
  declare state: PurchaseOrderState;
  declare origin: string | null;
  /** `<partnerId>:<warehouseId>` while this is the vendor's open draft RFQ that replenishment fills (unique); null otherwise. */
  declare draftKey: string | null;
  declare dropshipAddress: CreationOptional<Address | null>;
  declare tenderId: CreationOptional<number | null>;
  /** The vendor's answer (prices and lead times on the lines): when, until when, by whom. */
  declare quotedAt: CreationOptional<Date | null>;
  declare validUntil: CreationOptional<Date | null>;
  declare quotedByKind: CreationOptional<'user' | 'vendor' | null>;
  declare quotedByName: CreationOptional<string | null>;
  declare dateOrder: Date;
  declare datePlanned: Date | null;
  declare dateApproved: CreationOptional<Date | null>;
  declare currency: string;
  declare amountUntaxed: CreationOptional<number>;
  declare amountTax: CreationOptional<number>;
  declare amountTotal: CreationOptional<number>;
  declare note: CreationOptional<string | null>;
  declare sentAt: CreationOptional<Date | null>;
  /** When the vendor accepted it in the portal. */
  declare vendorAcceptedAt: CreationOptional<Date | null>;
  declare createdById: number | null;
  declare version: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare lines?: PurchaseOrderLineModel[];
  declare partner?: PartnerRecord;
}

export class PurchaseOrderLineModel extends Model<InferAttributes<PurchaseOrderLineModel>, InferCreationAttributes<PurchaseOrderLineModel>> {
  declare id: CreationOptional<number>;
  declare orderId: number;
  declare sequence: number;
  declare productId: number;
  declare description: string;
  declare quantity: number;
  declare unitPrice: number;
  declare taxIds: number[];
  declare subtotal: number;
  declare amountTax: number;
  declare total: number;
  declare datePlanned: Date;
  declare qtyReceived: CreationOptional<number>;
  declare qtyBilled: CreationOptional<number>;
  /** The vendor's quoted lead time; null until they answered. */
  declare leadDays: CreationOptional<number | null>;
  declare tenderLineId: CreationOptional<number | null>;
  declare product?: ProductRecord;
  declare demands?: PurchaseLineDemandModel[];
}

/** What a purchase line was bought for; make-to-order units go to their sale line only. */
export class PurchaseLineDemandModel extends Model<InferAttributes<PurchaseLineDemandModel>, InferCreationAttributes<PurchaseLineDemandModel>> {
  declare id: CreationOptional<number>;
  declare purchaseLineId: number;
  declare kind: DemandKind;
  declare saleOrderId: number | null;
  declare saleLineId: number | null;
  declare reorderRuleId: number | null;
  declare quantity: number;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initPurchaseModels(sequelize: Sequelize): void {
  PurchaseOrderModel.init(
    {
      id: idColumn,
      name: { type: DataTypes.STRING(20), allowNull: false },
      partnerId: { type: DataTypes.INTEGER, allowNull: false },
      warehouseId: { type: DataTypes.INTEGER, allowNull: false },
      state: { type: DataTypes.STRING(10), allowNull: false },
      origin: { type: DataTypes.STRING(500), allowNull: true },
      draftKey: { type: DataTypes.STRING(40), allowNull: true },
      dropshipAddress: nullableJsonText<Address>('dropshipAddress'),
      tenderId: { type: DataTypes.INTEGER, allowNull: true },
      quotedAt: { type: DataTypes.DATE(3), allowNull: true },
      validUntil: { type: DataTypes.DATE(3), allowNull: true },
      quotedByKind: { type: DataTypes.STRING(10), allowNull: true },
      quotedByName: { type: DataTypes.STRING(200), allowNull: true },
      dateOrder: { type: DataTypes.DATE(3), allowNull: false },
      datePlanned: { type: DataTypes.DATE(3), allowNull: true },
      dateApproved: { type: DataTypes.DATE(3), allowNull: true },
      currency: { type: DataTypes.STRING(3), allowNull: false },
      amountUntaxed: money('amountUntaxed'),
      amountTax: money('amountTax'),
      amountTotal: money('amountTotal'),
      note: { type: DataTypes.TEXT, allowNull: true },
      sentAt: { type: DataTypes.DATE(3), allowNull: true },
      vendorAcceptedAt: { type: DataTypes.DATE(3), allowNull: true },
      createdById: { type: DataTypes.INTEGER, allowNull: true },
      version: versionColumn,
      ...timestampColumns,
    },
    { sequelize, tableName: 'purchase_orders', version: true },
  );
  PurchaseOrderLineModel.init(
    {
      id: idColumn,
      orderId: { type: DataTypes.INTEGER, allowNull: false },
      sequence: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      productId: { type: DataTypes.INTEGER, allowNull: false },
      description: { type: DataTypes.TEXT, allowNull: false },
      quantity: decimal('quantity', 16, 3),
      unitPrice: money('unitPrice'),
      taxIds: jsonText<number[]>('taxIds', [], DataTypes.STRING(200)),
      subtotal: money('subtotal'),
      amountTax: money('amountTax'),
      total: money('total'),
      datePlanned: { type: DataTypes.DATE(3), allowNull: false },
      qtyReceived: decimal('qtyReceived', 16, 3),
      qtyBilled: decimal('qtyBilled', 16, 3),
      leadDays: { type: DataTypes.INTEGER, allowNull: true },
      tenderLineId: { type: DataTypes.INTEGER, allowNull: true },
    },
    { sequelize, tableName: 'purchase_order_lines', timestamps: false },
  );
  PurchaseLineDemandModel.init(
    {
      id: idColumn,
      purchaseLineId: { type: DataTypes.INTEGER, allowNull: false },
      kind: { type: DataTypes.STRING(10), allowNull: false },
      saleOrderId: { type: DataTypes.INTEGER, allowNull: true },
      saleLineId: { type: DataTypes.INTEGER, allowNull: true },
      reorderRuleId: { type: DataTypes.INTEGER, allowNull: true },
      quantity: decimal('quantity', 16, 3),
      ...timestampColumns,
    },
    { sequelize, tableName: 'purchase_line_demands' },
  );
  PurchaseOrderModel.hasMany(PurchaseOrderLineModel, { foreignKey: 'orderId', as: 'lines' });
  PurchaseOrderLineModel.hasMany(PurchaseLineDemandModel, { foreignKey: 'purchaseLineId', as: 'demands' });
  // Other domains' models by name: purchasing never imports them.
  PurchaseOrderModel.belongsTo(sequelize.model('PartnerModel'), { foreignKey: 'partnerId', as: 'partner' });
  PurchaseOrderLineModel.belongsTo(sequelize.model('ProductModel'), { foreignKey: 'productId', as: 'product' });
}
