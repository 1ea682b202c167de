// The one typed list of actions and who may take them (deny by default). `can` backs
// visibility (fields resolve to null, lists drop items); `assert` guards writes. Organization
// roles are inherited down the tree: a role in an organization holds in all of its
// sub-organizations (the Authz below walks the parent chain in one batched query). And a role
// granted to an organization (Itsyouonline's org-owners / org-members) reaches that
// organization's members, and its sub-organizations' members when the grant says
// `includeSubOrganizations` — computed in the same query (organization.repo.ts findEffectiveRoles).
import DataLoader from 'dataloader';
import { DomainError } from '../errors.js';
import { isUser, type Principal } from './principal.js';
import { confiningOrganizationOf } from './tenant.js';

export type Role = 'owner' | 'admin' | 'member';
const RANK: Record<Role, number> = { member: 1, admin: 2, owner: 3 };
export const atLeast = (role: Role | null, needed: Role) => role !== null && RANK[role] >= RANK[needed];
/** Whether `role` is stronger than `other` (every role outranks none). */
export const outranks = (role: Role, other: Role | null | undefined) => other == null || RANK[role] > RANK[other];
export const strongest = (roles: Role[]): Role | null => roles.reduce<Role | null>((best, r) => (best === null || RANK[r] > RANK[best] ? r : best), null);

/** Actions about a user account (the resource's userId is the account). */
type UserAction =
  | 'user:read'
  | 'user:readPrivate'
  | 'user:update'
  | 'user:create'
  | 'user:delete'
  | 'user:block'
  | 'user:manageContacts'
  | 'user:manageKeys'
  | 'device:revoke'
  | 'personalAccessToken:create'
  | 'personalAccessToken:revoke'
  | 'loginLog:read';

/** Actions inside an organization (the resource's organizationId). */
type OrganizationAction =
  | 'organization:read'
  | 'organization:update'
  | 'organization:delete'
  | 'organization:createChild'
  | 'membership:read'
  | 'membership:manage'
  | 'membership:grantOwner'
  | 'invitation:read'
  | 'invitation:manage'
  | 'group:read'
  | 'group:manage'
  | 'message:manageInOrganization'
  | 'eventLog:readOrganization'
  | 'webhook:manage';

export type Action = UserAction | OrganizationAction | 'organization:createRoot' | 'instance:admin';

/** The least role each organization action needs. */
const ORGANIZATION_RULES: Record<OrganizationAction, Role> = {
  'organization:read': 'member',
  'membership:read': 'member',
  'group:read': 'member',
  'invitation:read': 'admin',
  'organization:update': 'owner',
  'organization:delete': 'owner',
  'organization:createChild': 'owner',
  'membership:manage': 'admin',
  'membership:grantOwner': 'owner',
  'invitation:manage': 'admin',
  'group:manage': 'admin',
  'message:manageInOrganization': 'admin',
  'eventLog:readOrganization': 'admin',
  // An endpoint receives every event of the organization (and below): what its admins may read.
  'webhook:manage': 'admin',
};

/** Actions a user takes on their own account (instance admins on anyone's). */
const SELF_ACTIONS: ReadonlySet<UserAction> = new Set([
  'user:readPrivate',
  'user:update',
  'user:manageContacts',
  'user:manageKeys',
  'device:revoke',
  'personalAccessToken:create',
  'personalAccessToken:revoke',
  'loginLog:read',
]);

export interface Resource {
  userId?: string;
  organizationId?: string;
}

/** Roles of one user in organizations, each including roles inherited from ancestors. */
export type RoleLookup = (userId: string, organizationIds: readonly string[]) => Promise<Map<string, Role>>;

/** Per-request authorization: the principal's decisions, with organization roles batched and cached. */
export class Authz {
  private readonly roles: DataLoader<string, Role | null> | null;
  private readonly tokenScope: DataLoader<string, boolean> | null;

  constructor(
    readonly principal: Principal,
    lookup: RoleLookup,
    /** Whether `organizationId` is the token's organization or one of its sub-organizations. */
    withinOrganization: (tokenOrganizationId: string, organizationIds: readonly string[]) => Promise<Set<string>>,
  ) {
    const p = principal;
    this.roles = isUser(p)
      ? new DataLoader(async (ids) => {
          const found = await lookup(p.userId, ids);
          return ids.map((id) => found.get(id) ?? null);
        })
      : null;
    const tokenOrg = confiningOrganizationOf(p);
    this.tokenScope = tokenOrg
      ? new DataLoader(async (ids) => {
          const inside = await withinOrganization(tokenOrg, ids);
          return ids.map((id) => inside.has(id));
        })
      : null;
  }

  get isInstanceAdmin(): boolean {
    return isUser(this.principal) && this.principal.isInstanceAdmin;
  }

  get userId(): string | null {
    return isUser(this.principal) ? this.principal.userId : null;
  }

  /** The caller's effective role in an organization (inherited from ancestors), or null. */
  async roleIn(organizationId: string): Promise<Role | null> {
    return this.roles ? this.roles.load(organizationId) : null;
  }

  /** Whether the caller's token lets it act in the organization (tenant.ts); true when nothing confines it. */
  async withinTokenSubtree(organizationId: string): Promise<boolean> {
    return this.tokenScope ? this.tokenScope.load(organizationId) : true;
  }

  async can(action: Action, r: Resource = {}): Promise<boolean> {
    const p = this.principal;
    // An organization's API key reads its own organization, and only that (principal.ts).
    if (p.kind === 'organization') return action === 'organization:read' && r.organizationId === p.organizationId;
    if (!isUser(p)) return false;
    // The tenant rule (tenant.ts); no await at all when nothing confines the caller.
    if (r.organizationId && this.tokenScope && !(await this.tokenScope.load(r.organizationId))) return false;
    if (p.isInstanceAdmin) return true;
    if (action === 'instance:admin' || action === 'user:create' || action === 'user:delete' || action === 'user:block') return false;
    if (action === 'user:read') return true;
    if (action === 'organization:createRoot') return true;
    if (SELF_ACTIONS.has(action as UserAction)) return r.userId !== undefined && r.userId === p.userId;
    const needed = ORGANIZATION_RULES[action as OrganizationAction];
    if (!needed || !r.organizationId) return false;
    return atLeast(await this.roleIn(r.organizationId), needed);
  }

  /** Throws UNAUTHENTICATED for anonymous callers, else FORBIDDEN (or NOT_FOUND when asked to hide). */
  async assert(action: Action, r: Resource = {}, opts: { hideAs?: 'NOT_FOUND'; message?: string } = {}): Promise<void> {
    // An organization's API key is a credential, only not one for this: refused, not unauthenticated.
    if (this.principal.kind === 'organization' && !(await this.can(action, r))) throw new DomainError(opts.hideAs ?? 'FORBIDDEN', opts.message);
    if (!isUser(this.principal)) throw new DomainError('UNAUTHENTICATED');
    if (await this.can(action, r)) return;
    if (opts.hideAs) throw new DomainError('NOT_FOUND', opts.message);
    throw new DomainError('FORBIDDEN', opts.message);
  }

  /** Synchronous check for the caller's own account (private fields resolve per item). */
  isSelfOrAdmin(userId: string): boolean {
    const p = this.principal;
    return isUser(p) && (p.isInstanceAdmin || p.userId === userId);
  }
}

/** Synchronous form for user-level actions, used where no Authz is at hand. */
export function can(p: Principal, action: 'user:readPrivate' | 'personalAccessToken:create' | 'personalAccessToken:revoke', r: Resource = {}): boolean {
  if (!isUser(p)) return false;
  return p.isInstanceAdmin || (r.userId !== undefined && r.userId === p.userId);
}

/** Throws UNAUTHENTICATED for anonymous callers and FORBIDDEN otherwise. */
export function assertCan(
  p: Principal,
  action: 'user:readPrivate' | 'personalAccessToken:create' | 'personalAccessToken:revoke',
  r: Resource = {},
  message?: string,
): asserts p is Extract<Principal, { kind: 'user' }> {
  if (!isUser(p)) throw new DomainError('UNAUTHENTICATED');
  if (!can(p, action, r)) throw new DomainError('FORBIDDEN', message);
}
