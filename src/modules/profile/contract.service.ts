// The rule of contracts: a user (or an instance admin for them) makes a contract they are a
// party of; its id is computed as Itsyouonline documents it — the JSON of the contract without
// id and signatures (compact, fields in the document's order: parties, content, contractType,
// invalidates, extends, expires), UTF-8, SHA-256, then RIPEMD-160, then base58check with a 0x00
// version byte — so the same contract always gets the same id and a second copy is a CONFLICT.
// Its parties of type "user" and "organization" see it in their lists; an organization's owners
// make contracts the organization is a party of (createOrganizationContract), with the same
// rule. Content beyond CONTRACT_CONTENT_MAX is PAYLOAD_TOO_LARGE (413). The contract commits with
// its event-log row.
import { ripemd160 } from '@noble/hashes/ripemd160';
import { sha256 } from '@noble/hashes/sha256';
import bs58check from 'bs58check';
import type { ServiceContext } from '../../context.js';
import { conflict, DomainError, notFound, validation } from '../../core/errors.js';
import { isUniqueViolation } from '../../core/sql-errors.js';
import { isPlainText } from '../../core/validation.js';
import { recordEvent } from '../logs/event-log.service.js';
import { findUserByUsername } from '../users/user.repo.js';
import { findOrganizationBySlug } from '../organizations/organization.repo.js';
import { isSlug } from '../../core/validation.js';
import { mayReadOwnerData, organizationForChange } from './org-access.js';
import { userByUsername } from '../users/user.service.js';
import { requireSignedIn } from '../users/user.writes.js';
import { insertContract, type ContractRow } from './contract.repo.js';

type Ctx = ServiceContext;

export const CONTRACT_CONTENT_MAX = 65_536;
/** The document's page bound for listing contracts. */
export const CONTRACTS_PAGE_MAX = 250;
const MAX_PARTIES = 50;
const MAX_REFERENCES = 50;
const MAX_SIGNATURES = 50;

export interface ContractInput {
  username: string;
  parties: { type: string; name: string }[];
  content: string;
  contractType: string;
  invalidates?: string[] | null;
  extends?: string[] | null;
  expires: Date;
  /** When given, it must be the computed id. */
  contractId?: string | null;
  signatures?: { signedBy: string; date: Date; publicKey: string; signature: string }[] | null;
}

/** The documented id of a contract: base58check(0x00 ‖ RIPEMD-160(SHA-256(JSON without id and signatures))). */
export function computeContractId(c: { parties: { type: string; name: string }[]; content: string; contractType: string; invalidates: string[]; extends: string[]; expires: Date }): string {
  const json = JSON.stringify({
    parties: c.parties.map((p) => ({ type: p.type, name: p.name })),
    content: c.content,
    contractType: c.contractType,
    invalidates: c.invalidates,
    extends: c.extends,
    expires: c.expires.toISOString(),
  });
  const hash = ripemd160(sha256(new TextEncoder().encode(json)));
  const payload = new Uint8Array(hash.length + 1);
  payload.set(hash, 1);
  return bs58check.encode(payload);
}

const text = (v: string, field: string, max: number) => {
  if (v.length > max || !isPlainText(v)) throw validation(field, `${field} must be text of at most ${max} characters`);
  return v;
};

/** The contracts a user is a party of (the user and instance admins; others none), newest first. */
export async function contractsOf(ctx: Ctx, userId: string, opts: { includeExpired?: boolean | null; offset?: number | null; limit?: number | null }): Promise<ContractRow[]> {
  if (!ctx.authz.isSelfOrAdmin(userId)) return [];
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), CONTRACTS_PAGE_MAX);
  const offset = Math.min(Math.max(opts.offset ?? 0, 0), 100_000);
  return ctx.loaders.contractPage({ includeExpired: opts.includeExpired === true, offset, limit }).load(userId);
}

/** Makes a contract the user (yourself, or anyone for instance admins) is a party of. */
export async function createContract(ctx: Ctx, input: ContractInput): Promise<ContractRow> {
  requireSignedIn(ctx);
  const user = await userByUsername(ctx, input.username);
  if (!user) throw notFound('User not found');
  await ctx.authz.assert('user:update', { userId: user.id }, { message: 'You may make contracts only as yourself' });
  return makeContract(ctx, input, { type: 'user', name: user.username, eventUser: user.id, eventOrganization: null });
}

/** Makes a contract the organization is a party of (its owners). */
export async function createOrganizationContract(ctx: Ctx, input: Omit<ContractInput, 'username'> & { organization: string }): Promise<ContractRow> {
  const org = await organizationForChange(ctx, input.organization, 'its contracts');
  return makeContract(ctx, input, { type: 'organization', name: org.slug, eventUser: null, eventOrganization: org.id });
}

/** The contracts an organization is a party of (its owners, and the organization's own API keys), newest first. */
export async function contractsOfOrganization(ctx: Ctx, organizationId: string, opts: { includeExpired?: boolean | null; offset?: number | null; limit?: number | null }): Promise<ContractRow[]> {
  if (!(await mayReadOwnerData(ctx, organizationId))) return [];
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), CONTRACTS_PAGE_MAX);
  const offset = Math.min(Math.max(opts.offset ?? 0, 0), 100_000);
  return ctx.loaders.organizationContractPage({ includeExpired: opts.includeExpired === true, offset, limit }).load(organizationId);
}

/**
 * The one rule of a contract, whoever makes it: its fields checked, its id computed (a given id
 * must match), `maker` among the parties; its parties of type "user" (by username) and
 * "organization" (by slug) resolved, so their lists show it. A second copy is a CONFLICT.
 */
async function makeContract(
  ctx: Ctx,
  input: Omit<ContractInput, 'username'>,
  maker: { type: 'user' | 'organization'; name: string; eventUser: string | null; eventOrganization: string | null },
): Promise<ContractRow> {
  if (input.content.length > CONTRACT_CONTENT_MAX) throw new DomainError('PAYLOAD_TOO_LARGE', `Contract content is at most ${CONTRACT_CONTENT_MAX} characters`);
  const content = text(input.content, 'content', CONTRACT_CONTENT_MAX);
  const contractType = text(input.contractType, 'contractType', 40);
  if (input.parties.length < 1 || input.parties.length > MAX_PARTIES) throw validation('parties', `1 to ${MAX_PARTIES} parties`);
  const parties = input.parties.map((p) => ({ type: text(p.type, 'parties.type', 40), name: text(p.name, 'parties.name', 255) }));
  if (!parties.some((p) => p.type === maker.type && p.name.toLowerCase() === maker.name.toLowerCase())) {
    throw validation('parties', maker.type === 'user' ? 'The user must be one of the parties (type "user")' : 'The organization must be one of the parties (type "organization")');
  }
  const refs = (list: string[] | null | undefined, field: string) => {
    const l = list ?? [];
    if (l.length > MAX_REFERENCES) throw validation(field, `At most ${MAX_REFERENCES} contract ids`);
    return l.map((x) => text(x, field, 64));
  };
  const invalidates = refs(input.invalidates, 'invalidates');
  const extendsIds = refs(input.extends, 'extends');
  const signatures = (input.signatures ?? []).map((s) => ({
    signedBy: text(s.signedBy, 'signatures.signedBy', 255),
    date: s.date.toISOString(),
    publicKey: text(s.publicKey, 'signatures.publicKey', 16_384),
    signature: text(s.signature, 'signatures.signature', 16_384),
  }));
  if (signatures.length > MAX_SIGNATURES) throw validation('signatures', `At most ${MAX_SIGNATURES} signatures`);
  const contractId = computeContractId({ parties, content, contractType, invalidates, extends: extendsIds, expires: input.expires });
  if (input.contractId && input.contractId !== contractId) throw validation('contractId', `contractId does not match the contract (it is ${contractId})`);
  // The users and organizations among the parties, by username and slug (others list nowhere).
  const named = await Promise.all(parties.filter((p) => p.type === 'user').map((p) => findUserByUsername(ctx.db, p.name)));
  const partyUserIds = [...new Set(named.flatMap((u) => (u ? [u.id] : [])))];
  const orgs = await Promise.all(parties.filter((p) => p.type === 'organization' && isSlug(p.name)).map((p) => findOrganizationBySlug(ctx.db, p.name)));
  const partyOrganizationIds = [...new Set(orgs.flatMap((o) => (o ? [o.id] : [])))];
  try {
    return await ctx.db.transaction(async (tx) => {
      const row = await insertContract(tx, {
        contractId,
        createdById: ctx.authz.userId,
        parties,
        partyUserIds,
        partyOrganizationIds,
        content,
        contractType,
        invalidates,
        extends: extendsIds,
        expires: input.expires,
        signatures,
      });
      await recordEvent(tx, ctx, { action: 'contract.create', user2Id: maker.eventUser, organizationId: maker.eventOrganization, data: { contractId } });
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'contracts_contract_id_key')) throw conflict('contractId', 'This contract exists already');
    throw err;
  }
}
