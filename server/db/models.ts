import type { Sequelize } from 'sequelize';
import { initAccountingModels } from '../modules/accounting/account.model';
import { initAuthModels } from '../modules/auth/user.model';
import { initCatalogModels, ProductModel } from '../modules/catalog/catalog.model';
import { initCompanyModels } from '../modules/company/company.model';
import { initInventoryModels } from '../modules/inventory/warehouse.model';
import { initPartnerModels, PartnerModel } from '../modules/partners/partner.model';
import { initSalesModels, SaleOrderModel } from '../modules/sales/sale-order.model';
import { initChatterModels } from '../modules/chatter/message.model';
import { registerRecordModel } from '../lib/records';

// Binds every model class to the connected instance (order matters for associations).
export function initModels(sequelize: Sequelize): void {
  initAuthModels(sequelize);
  initCompanyModels(sequelize);
  initInventoryModels(sequelize);
  initPartnerModels(sequelize);
  initAccountingModels(sequelize);
  initCatalogModels(sequelize);
  initSalesModels(sequelize);
  initChatterModels(sequelize);
  registerRecordModels();
}

// The records that rooms and the chatter can address, with the permission to read and write them.
function registerRecordModels(): void {
  const exists = (model: { findByPk(id: number, o: object): Promise<unknown> }) => async (id: number) => !!(await model.findByPk(id, { attributes: ['id'] }));
  registerRecordModel('saleOrder', { read: 'saleOrder.read', write: 'saleOrder.write', exists: exists(SaleOrderModel) });
  registerRecordModel('partner', { read: 'partner.read', write: 'partner.write', exists: exists(PartnerModel) });
  registerRecordModel('product', { read: 'product.read', write: 'product.write', exists: exists(ProductModel) });
}
