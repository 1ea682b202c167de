// One OrderDirection enum for the whole graph. It lives here, not with any one module, because
// the object types of several modules use it and those modules' types refer to each other
// (a Membership's user is a User; the users' order uses the direction): a shared enum inside
// one of them made their imports a cycle that only worked in one loading order.
import { registerEnumType } from 'type-graphql';

export enum OrderDirection {
  ASC = 'asc',
  DESC = 'desc',
}
registerEnumType(OrderDirection, { name: 'OrderDirection', description: 'Sort direction.' });
