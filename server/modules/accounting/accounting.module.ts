import type { DomainModule } from '../../db/models';
import { registerRecordModel, rowExists } from '../../lib/records';
import { registerTemplateContext } from '../mail/templates';
import { initAccountingModels } from './account.model';
import { invoiceMailContext } from './invoice.mail';
import { initInvoiceModels, InvoiceModel } from './invoice.model';
import { invoiceOwner, ownInvoiceIds } from './invoice.access';
import { displayName } from './invoice.mapper';

export const accountingModule: DomainModule = {
  name: 'accounting',
  models(sequelize) {
    initAccountingModels(sequelize);
    initInvoiceModels(sequelize);
  },
  register() {
    registerRecordModel('invoice', {
      read: 'invoice.read',
      write: 'invoice.write',
      exists: rowExists(InvoiceModel),
      own: { ownerOf: invoiceOwner, idsOf: ownInvoiceIds },
      mailAlias: 'invoice',
      describe: async (t, id) => {
        const inv = await InvoiceModel.findByPk(id, { attributes: ['id', 'name', 'moveType', 'partnerId'], transaction: t });
        return inv && { name: displayName(inv), partnerId: inv.partnerId, path: `/invoices/${inv.id}` };
      },
    });
    registerTemplateContext('invoice_email', 'invoice', invoiceMailContext);
  },
};
