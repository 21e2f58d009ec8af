import type { Sequelize } from 'sequelize';

/**
 * A domain as the start-up code sees it. Each module under server/modules/<domain>/ exports one
 * (`<domain>.module.ts`); server/domains.ts lists them in the order their models must be bound.
 */
export type DomainModule = {
  name: string;
  /**
   * Binds the domain's model classes to the connected instance. An association to another domain's
   * model names it (`sequelize.model('PartnerModel')`): a domain never imports another's models.
   */
  models(sequelize: Sequelize): void;
  /** Registers what shared mechanisms address in the domain (record models, mail template contexts), once every model is bound. */
  register?(): void;
};

/** The model registry: binds every domain's models, then lets each domain register its records. */
export function initModels(sequelize: Sequelize, domains: readonly DomainModule[]): void {
  for (const d of domains) d.models(sequelize);
  for (const d of domains) d.register?.();
}
