import type { DomainModule } from '../../db/models';
import { initChannelModels } from './channel.model';

export const channelsModule: DomainModule = { name: 'channels', models: initChannelModels };
