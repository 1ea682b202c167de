// Demo data of the Itsyouonline dialect's user side, for `npm run seed`: alice's labelled
// collections (a work email, a phone, a key, an address, a bank account, a wallet address),
// a registry entry, her authorization for globex and a contract with bob. Written through the
// real mutations as alice; each piece is skipped when it exists, so running it twice changes
// nothing.

/** Runs one operation as a demo user (seed.ts's runner). */
type Run = <T = any>(query: string, variables?: Record<string, unknown>, as?: string) => Promise<T>;

const ENTRIES = [
  { kind: 'EMAIL', field: 'emails', label: 'work', value: { emailAddress: 'alice@work.example' } },
  { kind: 'PHONE', field: 'phones', label: 'mobile', value: { phoneNumber: '+32475123456' } },
  { kind: 'PUBLIC_KEY', field: 'publicKeys', label: 'laptop', value: { publicKey: '1GVS7544tvWM2TM13vNH8sboamJzL6mJ36' } },
  { kind: 'ADDRESS', field: 'addresses', label: 'home', value: { address: { street: 'Main street', nr: '45B', city: 'Springfield', postalCode: 'T-9450', country: 'Tomorrowland' } } },
  { kind: 'BANK_ACCOUNT', field: 'bankAccounts', label: 'kbc', value: { bankAccount: { iban: 'TL123451234512345', bic: 'ABCDEFGH', country: 'Tomorrowland' } } },
  { kind: 'DIGITAL_WALLET', field: 'digitalWallet', label: 'bibcoin', value: { digitalWallet: { address: 'fdfgfgergerger', currencySymbol: 'bb', noExpiration: true } } },
] as const;

export async function seedIyo(run: Run, log: (s: string) => void): Promise<void> {
  const me = await run(
    `{ user(username: "alice") { emails { label } phones { label } publicKeys { label } addresses { label } bankAccounts { label } digitalWallet { label }
       registry { key } authorizations { grantedTo } contracts(includeExpired: true) { contractType } } }`,
    {},
    'alice',
  );
  const u = me.user;
  if (!u) return;
  let added = 0;
  for (const e of ENTRIES) {
    if ((u[e.field] as { label: string | null }[]).some((x) => x.label === e.label)) continue;
    await run(`mutation($i: AddLabelledEntryInput!) { addLabelledEntry(input: $i) { label userErrors { field message } } }`, { i: { username: 'alice', kind: e.kind, label: e.label, value: e.value } }, 'alice');
    added++;
  }
  if (!(u.registry as { key: string }[]).some((r) => r.key === 'theme')) {
    await run(`mutation($i: SetRegistryEntryInput!) { setRegistryEntry(input: $i) { entry { key } userErrors { field message } } }`, { i: { username: 'alice', key: 'theme', value: 'dark' } }, 'alice');
    added++;
  }
  if (!(u.authorizations as { grantedTo: string }[]).some((a) => a.grantedTo === 'globex')) {
    await run(
      `mutation($i: SetAuthorizationInput!) { setAuthorization(input: $i) { authorization { grantedTo } userErrors { field message } } }`,
      { i: { username: 'alice', organization: 'globex', name: true, emailAddresses: [{ requestedLabel: 'main', realLabel: 'work' }] } },
      'alice',
    );
    added++;
  }
  if (!(u.contracts as { contractType: string }[]).some((c) => c.contractType === 'demo')) {
    await run(
      `mutation($i: CreateContractInput!) { createContract(input: $i) { contract { contractId } userErrors { field message } } }`,
      {
        i: {
          username: 'alice',
          parties: [
            { type: 'user', name: 'alice' },
            { type: 'user', name: 'bob' },
          ],
          content: 'Alice lends Bob her bicycle for the summer.',
          contractType: 'demo',
          expires: '2099-01-01T00:00:00.000Z',
        },
      },
      'alice',
    );
    added++;
  }
  log(`itsyouonline demo data: ${added} new entries for alice (labelled collections, registry, an authorization for globex, a contract with bob)`);
}
