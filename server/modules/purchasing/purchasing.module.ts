import type { DomainModule } from '../../db/models';
import { registerRecordModel, rowExists } from '../../lib/records';
import { registerTemplateContext } from '../mail/templates';
import { onForecastChanged } from '../inventory/forecast.listeners';
import { ownPurchaseIds, purchaseOwner } from './purchase-order.access';
import { purchaseMailContext } from './purchase-order.mail';
import { initPurchaseModels, PurchaseOrderModel } from './purchase-order.model';
import { purchaseOrderNames } from './purchase-order.service';
import { initReorderRuleModel } from './reorder-rule.model';
import { declinedMailContext } from './tender.mail';
import { initTenderModels, TenderModel } from './tender.model';
import { ownTenderIds, tenderNames, tenderOwner } from './tender.service';

// What other modules (the vendor portal) call: a vendor's answer to an RFQ.
export { recordQuote, type QuoteAuthor } from './purchase-order.quote';
import { enqueueReorderChecks } from './reorder-schedule';
import { initVendorModels } from './vendor.model';

export const purchasingModule: DomainModule = {
  name: 'purchasing',
  models(sequelize) {
    initPurchaseModels(sequelize);
    initReorderRuleModel(sequelize);
    initVendorModels(sequelize);
    initTenderModels(sequelize);
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
    registerRecordModel('tender', {
      read: 'purchase.read',
      write: 'purchase.write',
      exists: rowExists(TenderModel),
      own: { ownerOf: tenderOwner, idsOf: ownTenderIds },
      mailAlias: 'tender',
      describe: async (t, id) => {
        const o = await TenderModel.findByPk(id, { attributes: ['id', 'name'], transaction: t });
        return o && { name: o.name, partnerId: null, path: `/tenders/${o.id}` };
      },
      names: tenderNames,
    });
    registerTemplateContext('rfq', 'purchaseOrder', purchaseMailContext);
    registerTemplateContext('rfq_declined', 'purchaseOrder', (t, id) => declinedMailContext(t, id));
    registerTemplateContext('purchase_order', 'purchaseOrder', purchaseMailContext);
  },
};
