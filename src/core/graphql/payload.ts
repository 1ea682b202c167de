// Mutation payloads: expected failures (validation, conflict, precondition, bad credentials)
// are returned as userErrors; everything else stays a top-level error with a code.
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { DomainError, ERROR_CODES, type ErrorCode } from '../errors.js';
import { ReadsNoRow } from '../read/reads.js';

export const ErrorCodeEnum = Object.fromEntries(Object.keys(ERROR_CODES).map((k) => [k, k])) as { [K in ErrorCode]: K };
registerEnumType(ErrorCodeEnum, { name: 'ErrorCode', description: 'Stable error codes, shared by userErrors, errors[].extensions.code and the REST dialects.' });

@ReadsNoRow()
@ObjectType({ description: 'An expected failure of a mutation, such as invalid input.' })
export class UserError {
  @Field(() => ErrorCodeEnum, { description: 'Stable, machine-readable code.' })
  code!: ErrorCode;

  @Field(() => String, { nullable: true, description: 'The input field at fault, when there is one.' })
  field!: string | null;

  @Field({ description: 'Human-readable explanation.' })
  message!: string;
}

export interface WithUserErrors {
  userErrors: UserError[];
}

/** Runs a mutation's service call; user-facing domain errors become the payload's userErrors. */
export async function payload<P extends object>(run: () => Promise<P>): Promise<Partial<P> & WithUserErrors> {
  try {
    return { ...(await run()), userErrors: [] };
  } catch (err) {
    if (err instanceof DomainError && err.isUserError) {
      return { userErrors: [{ code: err.code, field: err.field ?? null, message: err.message }] } as Partial<P> & WithUserErrors;
    }
    throw err;
  }
}
