import type { DomainModule } from '../../db/models';
import { initJobModels } from './job-run.model';

export const jobsModule: DomainModule = { name: 'jobs', models: initJobModels };
