// What the profile module adds to the graph: labelled collections of a user (addresses, bank
// accounts, digital wallet as fields of User; mutations over every labelled collection) and the
// authorizations users grant organizations, with the view of a user they decide (User.info), and
// the user's registry, contracts, avatars, keystore and see documents; and an Itsyouonline
// organization's own data (API keys, registry, descriptions, logo, 2FA validity, contracts).
import type { NodeFetchers } from '../node/node.registry.js';
import { AuthorizationMutationsResolver, AuthorizationUserResolver } from './authorization.resolver.js';
import { AvatarResolver, AvatarUserResolver } from './avatar.resolver.js';
import { ContractMutationsResolver, ContractUserResolver } from './contract.resolver.js';
import { KeystoreResolver } from './keystore.js';
import { SeeDocumentResolver, SeeResolver } from './see.js';
import { ProfileMutationsResolver, ProfileUserResolver } from './profile.resolver.js';
import { RegistryMutationsResolver, RegistryUserResolver } from './registry.resolver.js';
import { OrganizationIyoMutationsResolver, OrganizationIyoResolver } from './org-extras.resolver.js';

export const resolvers = [ProfileUserResolver, ProfileMutationsResolver, AuthorizationUserResolver, AuthorizationMutationsResolver, RegistryUserResolver, RegistryMutationsResolver, ContractUserResolver, ContractMutationsResolver, AvatarUserResolver, AvatarResolver, KeystoreResolver, SeeResolver, SeeDocumentResolver, OrganizationIyoResolver, OrganizationIyoMutationsResolver] as const;

export const nodeFetchers: NodeFetchers = {};
