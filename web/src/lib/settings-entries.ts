import { may } from './session.svelte';

export type SettingsEntry = {
  path: '/taxes' | '/settings/channels' | '/settings/invoicing' | '/settings/accounts' | '/settings/templates' | '/settings/warehouses' | '/users';
  title: string;
  text: string;
};

/**
 * What the signed-in user can set up: an entry appears only to a role that may change it (the
 * server's permission table), so a role with none has no Settings at all. Reading these lists stays
 * open where the server allows it (the board needs the channels, the order page the taxes).
 */
export function settingsEntries(): SettingsEntry[] {
  const entries: (SettingsEntry & { show: boolean })[] = [
    {
      path: '/settings/channels',
      title: 'Sales channels',
      text: 'Shops, webhooks and CSV imports orders come from; sync and last errors.',
      show: may('channel.write'),
    },
    { path: '/settings/invoicing', title: 'Invoicing', text: 'Payment terms, and invoicing deliveries as they are validated.', show: may('company.write') },
    { path: '/settings/accounts', title: 'Chart of accounts', text: 'The accounts and journals invoices and payments post to.', show: may('account.write') },
    { path: '/taxes', title: 'Taxes', text: 'Tax rates and the accounts they post to.', show: may('tax.write') },
    {
      path: '/settings/templates',
      title: 'Email templates',
      text: 'The emails sent to customers and colleagues, with a live preview.',
      show: may('mail.template'),
    },
    { path: '/settings/warehouses', title: 'Warehouses', text: 'Warehouses and their stock locations.', show: may('company.write') },
    { path: '/users', title: 'Users', text: 'Who may sign in, their role and which orders they see.', show: may('user.manage') },
  ];
  return entries.filter((e) => e.show).map(({ show: _show, ...e }) => e);
}
