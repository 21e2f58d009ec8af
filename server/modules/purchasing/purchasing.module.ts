import type { DomainModule } from '../../db/models';
import { registerRecordModel, rowExists } from '../../lib/records';
import { registerTemplateContext } from '../mail/templates';
import { onForecastChanged } from '../inventory/forecast.listeners';
import { ownPurchaseIds, purchaseOwner } from './purchase-order.access';
import { purchaseMailContext } from './purchase-order.mail';
import { initPurchaseModels, PurchaseOrderModel } from './purchase-order.model';
import { purchaseOrderNames } from './purchase-order.service';
import { initReorderRuleModel } from './reorder-rule.model';
import { enqueueReorderChecks } from './reorder-schedule';
import { initVendorModels } from './vendor.model';

export const purchasingModule: DomainModule = {
  name: 'purchasing',
  models(sequelize) {
    initPurchaseModels(sequelize);
    initReorderRuleModel(sequelize);
    initVendorModels(sequelize);
  },
  register() {
    // A stock change that may move a forecast has the product's reorder rules checked (inventory tells, after commit).
    onForecastChanged(enqueueReorderChecks);
    registerRecordModel('purchaseOrder', {
      read: 'purchase.read',
      write: 'purchase.write',
      exists: rowExists(PurchaseOrderModel),
      own: { ownerOf: purchaseOwner, idsOf: ownPurchaseIds },
      mailAlias: 'po',
      describe: async (t, id) => {
        const o = await PurchaseOrderModel.findByPk(id, { attributes: ['id', 'name', 'partnerId'], transaction: t });
        return o && { name: o.name, partnerId: o.partnerId, path: `/purchases/${o.id}` };
      },
      names: purchaseOrderNames,
    });
    registerTemplateContext('rfq', 'purchaseOrder', purchaseMailContext);
    registerTemplateContext('purchase_order', 'purchaseOrder', purchaseMailContext);
  },
};
