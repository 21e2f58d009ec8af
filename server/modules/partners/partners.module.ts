import type { DomainModule } from '../../db/models';
import { registerRecordModel, rowExists } from '../../lib/records';
import { initPartnerModels, PartnerModel } from './partner.model';

export const partnersModule: DomainModule = {
  name: 'partners',
  models: initPartnerModels,
  register() {
    registerRecordModel('partner', {
      read: 'partner.read',
      write: 'partner.write',
      exists: rowExists(PartnerModel),
      mailAlias: 'partner',
      describe: async (t, id) => {
        const p = await PartnerModel.findByPk(id, { attributes: ['id', 'name'], transaction: t });
        return p && { name: p.name, partnerId: p.id, path: `/partners?id=${p.id}` };
      },
    });
  },
};
