import type { Sequelize } from 'sequelize';
import { initAccountingModels } from '../modules/accounting/account.model';
import { initAuthModels } from '../modules/auth/user.model';
import { initCatalogModels } from '../modules/catalog/catalog.model';
import { initCompanyModels } from '../modules/company/company.model';
import { initInventoryModels } from '../modules/inventory/warehouse.model';
import { initPartnerModels } from '../modules/partners/partner.model';
import { initSalesModels } from '../modules/sales/sale-order.model';

// Binds every model class to the connected instance (order matters for associations).
export function initModels(sequelize: Sequelize): void {
  initAuthModels(sequelize);
  initCompanyModels(sequelize);
  initInventoryModels(sequelize);
  initPartnerModels(sequelize);
  initAccountingModels(sequelize);
  initCatalogModels(sequelize);
  initSalesModels(sequelize);
}
