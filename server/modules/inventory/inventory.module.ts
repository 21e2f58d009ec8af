import type { DomainModule } from '../../db/models';
import { registerRecordModel, rowExists } from '../../lib/records';
import { registerTemplateContext } from '../mail/templates';
import { ownPickingIds, pickingOwner } from './picking.access';
import { shippingMailContext } from './shipping.mail';
import { initStockModels, PickingModel } from './stock.model';
import { initInventoryModels } from './warehouse.model';

export const inventoryModule: DomainModule = {
  name: 'inventory',
  models(sequelize) {
    initInventoryModels(sequelize);
    initStockModels(sequelize);
  },
  register() {
    registerRecordModel('picking', {
      read: 'inventory.read',
      write: 'inventory.write',
      exists: rowExists(PickingModel),
      own: { ownerOf: pickingOwner, idsOf: ownPickingIds },
      mailAlias: 'picking',
      describe: async (t, id) => {
        const p = await PickingModel.findByPk(id, { attributes: ['id', 'name', 'partnerId'], transaction: t });
        return p && { name: p.name, partnerId: p.partnerId, path: `/pickings/${p.id}` };
      },
    });
    registerTemplateContext('shipping_confirmation', 'picking', shippingMailContext);
  },
};
