// Relay's Node interface and opaque global ids: base64url("Type:uuid"). Clients must treat
// them as opaque; the type prefix lets node(id) find the right table.
import { Field, ID, InterfaceType } from 'type-graphql';
import { notFound } from '../errors.js';
import { isUuid } from '../validation.js';

export const toGlobalId = (type: string, id: string): string => Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');

/**
 * Every node is one row: `uuid` is its primary key, and each class names its GraphQL type in a
 * static `nodeType`. The global id is encoded when read, not when the object is built: a page
 * builds many nodes and often asks for none of their ids.
 */
@InterfaceType({ description: 'An object with a globally unique, opaque ID.' })
export abstract class Node {
  uuid!: string;

  @Field(() => ID, { description: 'Globally unique, opaque ID of the object.' })
  get id(): string {
    return toGlobalId((this.constructor as unknown as { nodeType: string }).nodeType, this.uuid);
  }
}

/** The type and uuid inside a global id, or null when it is not one of ours. */
export function fromGlobalId(globalId: string): { type: string; id: string } | null {
  if (globalId.length > 200 || !/^[A-Za-z0-9_-]+$/.test(globalId)) return null;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const sep = decoded.indexOf(':');
  if (sep <= 0) return null;
  const type = decoded.slice(0, sep);
  const id = decoded.slice(sep + 1);
  return isUuid(id) ? { type, id: id.toLowerCase() } : null;
}

/** The uuid of a global id of the expected type, or null. */
export function idOfType(globalId: string, type: string): string | null {
  const parsed = fromGlobalId(globalId);
  return parsed && parsed.type === type ? parsed.id : null;
}

/** The uuid inside a global id of the given type; NOT_FOUND when it is not one (for inputs). */
export function requireId(globalId: string, type: string, what = type): string {
  const id = idOfType(globalId, type);
  if (!id) throw notFound(`${what} not found`);
  return id;
}

export const optionalId = (globalId: string | null | undefined, type: string) => (globalId == null ? globalId : requireId(globalId, type));
