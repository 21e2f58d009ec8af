import type { DomainModule } from './db/models';
import { accountingModule } from './modules/accounting/accounting.module';
import { authModule } from './modules/auth/auth.module';
import { catalogModule } from './modules/catalog/catalog.module';
import { channelsModule } from './modules/channels/channels.module';
import { chatterModule } from './modules/chatter/chatter.module';
import { companyModule } from './modules/company/company.module';
import { importsModule } from './modules/imports/imports.module';
import { inventoryModule } from './modules/inventory/inventory.module';
import { jobsModule } from './modules/jobs/jobs.module';
import { mailModule } from './modules/mail/mail.module';
import { partnersModule } from './modules/partners/partners.module';
import { purchasingModule } from './modules/purchasing/purchasing.module';
import { salesModule } from './modules/sales/sales.module';

/**
 * Every domain, in the order its models are bound: a domain comes after the domains its associations
 * name (catalog's taxes point at accounting's accounts; sales points at partners and catalog).
 */
export const domains: readonly DomainModule[] = [
  authModule,
  companyModule,
  partnersModule,
  accountingModule,
  catalogModule,
  inventoryModule,
  salesModule,
  purchasingModule,
  chatterModule,
  mailModule,
  channelsModule,
  importsModule,
  jobsModule,
];
