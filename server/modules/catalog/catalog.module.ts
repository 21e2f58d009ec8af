import type { DomainModule } from '../../db/models';
import { registerRecordModel, rowExists } from '../../lib/records';
import { initCatalogModels, ProductModel } from './catalog.model';

export const catalogModule: DomainModule = {
  name: 'catalog',
  models: initCatalogModels,
  register() {
    registerRecordModel('product', {
      read: 'product.read',
      write: 'product.write',
      exists: rowExists(ProductModel),
      mailAlias: 'product',
      describe: async (t, id) => {
        const p = await ProductModel.findByPk(id, { attributes: ['id', 'name', 'sku'], transaction: t });
        return p && { name: `[${p.sku}] ${p.name}`, partnerId: null, path: `/products?id=${p.id}` };
      },
    });
  },
};
