import type { DomainModule } from '../../db/models';
import { initImportModels } from './profile.model';

export const importsModule: DomainModule = { name: 'imports', models: initImportModels };
