import type { DomainModule } from '../../db/models';
import { registerRecordModel, rowExists } from '../../lib/records';
import { registerTemplateContext } from '../mail/templates';
import { orderOwner, ownOrderIds } from './sale-order.access';
import { orderMailContext } from './sale-order.mail';
import { initSalesModels, SaleOrderModel } from './sale-order.model';

export const salesModule: DomainModule = {
  name: 'sales',
  models: initSalesModels,
  register() {
    registerRecordModel('saleOrder', {
      read: 'saleOrder.read',
      write: 'saleOrder.write',
      exists: rowExists(SaleOrderModel),
      own: { ownerOf: orderOwner, idsOf: ownOrderIds },
      mailAlias: 'order',
      describe: async (t, id) => {
        const o = await SaleOrderModel.findByPk(id, { attributes: ['id', 'name', 'partnerId'], transaction: t });
        return o && { name: o.name, partnerId: o.partnerId, path: `/orders/${o.id}` };
      },
    });
    registerTemplateContext('order_confirmation', 'saleOrder', orderMailContext);
  },
};
