import type { DomainModule } from '../../db/models';
import { initMailModels } from './mail.model';

export const mailModule: DomainModule = { name: 'mail', models: initMailModels };
