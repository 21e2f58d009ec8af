import type { DomainModule } from '../../db/models';
import { initChatterModels } from './message.model';

export const chatterModule: DomainModule = { name: 'chatter', models: initChatterModels };
