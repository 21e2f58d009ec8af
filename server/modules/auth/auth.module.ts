import type { DomainModule } from '../../db/models';
import { initAuthModels } from './user.model';

export const authModule: DomainModule = { name: 'auth', models: initAuthModels };
