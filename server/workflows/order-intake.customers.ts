import type { Tx } from '../db/transaction';
import { PartnerModel } from '../modules/partners/partner.model';
import { partnerIdsByEmail } from '../modules/partners/partner.service';
import type { Contact } from './order-intake.mapping';

// Partner matching: the customer of each new order of an intake, by email, or a new partner.

/** The customer of each new order: a partner with its email (the first one made), else a new partner. */
export async function customersFor(t: Tx, contacts: Contact[]): Promise<number[]> {
  const byEmail = await partnerIdsByEmail(
    t,
    contacts.map((c) => c.email).filter((e): e is string => !!e),
  );
  // One new partner per unknown email (orders of the same new customer share it), one per order without.
  const fresh: Contact[] = [];
  const freshByEmail = new Map<string, number>();
  const slot = contacts.map((c) => {
    if (c.email && byEmail.has(c.email)) return { id: byEmail.get(c.email)! };
    if (c.email && freshByEmail.has(c.email)) return { fresh: freshByEmail.get(c.email)! };
    fresh.push(c);
    if (c.email) freshByEmail.set(c.email, fresh.length - 1);
    return { fresh: fresh.length - 1 };
  });
  const created = fresh.length
    ? await PartnerModel.bulkCreate(
        fresh.map((c) => ({
          name: c.name,
          email: c.email,
          phone: c.phone ?? c.address?.phone ?? null,
          isCompany: false,
          street: c.address?.street ?? null,
          city: c.address?.city ?? null,
          zip: c.address?.zip ?? null,
          countryCode: c.address?.countryCode ?? null,
          roles: ['customer'],
        })),
        { transaction: t },
      )
    : [];
  return slot.map((s) => ('id' in s ? s.id! : created[s.fresh]!.id));
}
