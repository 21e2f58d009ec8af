import type { DomainModule } from '../../db/models';
import { initCompanyModels } from './company.model';

export const companyModule: DomainModule = { name: 'company', models: initCompanyModels };
