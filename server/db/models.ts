import type { Sequelize } from 'sequelize';
import { initAccountingModels } from '../modules/accounting/account.model';
import { initInvoiceModels, InvoiceModel } from '../modules/accounting/invoice.model';
import { initChannelModels } from '../modules/channels/channel.model';
import { initImportModels } from '../modules/imports/profile.model';
import { initJobModels } from '../modules/jobs/job-run.model';
import { initAuthModels } from '../modules/auth/user.model';
import { initCatalogModels, ProductModel } from '../modules/catalog/catalog.model';
import { initCompanyModels } from '../modules/company/company.model';
import { initInventoryModels } from '../modules/inventory/warehouse.model';
import { initStockModels, PickingModel } from '../modules/inventory/stock.model';
import { initPartnerModels, PartnerModel } from '../modules/partners/partner.model';
import { initSalesModels, SaleOrderModel } from '../modules/sales/sale-order.model';
import { initChatterModels } from '../modules/chatter/message.model';
import { initMailModels } from '../modules/mail/mail.model';
import { registerRecordModel } from '../lib/records';
import { registerTemplateContext } from '../modules/mail/templates';
import { orderMailContext } from '../modules/sales/sale-order.mail';
import { invoiceMailContext } from '../modules/accounting/invoice.mail';
import { invoiceOwner, ownInvoiceIds } from '../modules/accounting/invoice.access';
import { displayName } from '../modules/accounting/invoice.mapper';
import { pickingOwner, ownPickingIds } from '../modules/inventory/picking.access';
import { orderOwner, ownOrderIds } from '../modules/sales/sale-order.access';

// Binds every model class to the connected instance (order matters for associations).
export function initModels(sequelize: Sequelize): void {
  initAuthModels(sequelize);
  initCompanyModels(sequelize);
  initInventoryModels(sequelize);
  initPartnerModels(sequelize);
  initAccountingModels(sequelize);
  initCatalogModels(sequelize);
  initSalesModels(sequelize);
  initStockModels(sequelize);
  initChatterModels(sequelize);
  initMailModels(sequelize);
  initInvoiceModels(sequelize);
  initChannelModels(sequelize);
  initImportModels(sequelize);
  initJobModels(sequelize);
  registerRecordModels();
  registerTemplateContext('order_confirmation', 'saleOrder', orderMailContext);
  registerTemplateContext('invoice_email', 'invoice', invoiceMailContext);
}

// The records that rooms and the chatter can address, with the permission to read and write them.
function registerRecordModels(): void {
  const exists = (model: { findByPk(id: number, o: object): Promise<unknown> }) => async (id: number) => !!(await model.findByPk(id, { attributes: ['id'] }));
  registerRecordModel('saleOrder', {
    read: 'saleOrder.read',
    write: 'saleOrder.write',
    exists: exists(SaleOrderModel),
    own: { ownerOf: orderOwner, idsOf: ownOrderIds },
    mailAlias: 'order',
    describe: async (id, t) => {
      const o = await SaleOrderModel.findByPk(id, { attributes: ['id', 'name', 'partnerId'], transaction: t });
      return o && { name: o.name, partnerId: o.partnerId, path: `/orders/${o.id}` };
    },
  });
  registerRecordModel('invoice', {
    read: 'invoice.read',
    write: 'invoice.write',
    exists: exists(InvoiceModel),
    own: { ownerOf: invoiceOwner, idsOf: ownInvoiceIds },
    mailAlias: 'invoice',
    describe: async (id, t) => {
      const inv = await InvoiceModel.findByPk(id, { attributes: ['id', 'name', 'moveType', 'partnerId'], transaction: t });
      return inv && { name: displayName(inv), partnerId: inv.partnerId, path: `/invoices/${inv.id}` };
    },
  });
  registerRecordModel('picking', {
    read: 'inventory.read',
    write: 'inventory.write',
    exists: exists(PickingModel),
    own: { ownerOf: pickingOwner, idsOf: ownPickingIds },
    mailAlias: 'picking',
    describe: async (id, t) => {
      const p = await PickingModel.findByPk(id, { attributes: ['id', 'name', 'partnerId'], transaction: t });
      return p && { name: p.name, partnerId: p.partnerId, path: `/pickings/${p.id}` };
    },
  });
  registerRecordModel('partner', {
    read: 'partner.read',
    write: 'partner.write',
    exists: exists(PartnerModel),
    mailAlias: 'partner',
    describe: async (id, t) => {
      const p = await PartnerModel.findByPk(id, { attributes: ['id', 'name'], transaction: t });
      return p && { name: p.name, partnerId: p.id, path: `/partners?id=${p.id}` };
    },
  });
  registerRecordModel('product', {
    read: 'product.read',
    write: 'product.write',
    exists: exists(ProductModel),
    mailAlias: 'product',
    describe: async (id, t) => {
      const p = await ProductModel.findByPk(id, { attributes: ['id', 'name', 'sku'], transaction: t });
      return p && { name: `[${p.sku}] ${p.name}`, partnerId: null, path: `/products?id=${p.id}` };
    },
  });
}
