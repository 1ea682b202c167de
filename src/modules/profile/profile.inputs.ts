// Inputs and payloads of the labelled-collection mutations: the user by username, the
// collection, the label, and the value of that collection's shape.
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { UserError } from '../../core/graphql/payload.js';
import { ReadsNoRow } from '../../core/read/reads.js';
import { User } from '../users/user.type.js';
import { LabelledKind } from './profile.type.js';

@InputType({ description: 'A postal address.' })
export class AddressInput {
  @Field({ description: 'Street, at most 50 characters.' })
  street!: string;
  @Field({ description: 'House number, at most 10 characters.' })
  nr!: string;
  @Field({ description: 'City, at most 30 characters.' })
  city!: string;
  @Field({ description: 'Postal code, at most 20 characters.' })
  postalCode!: string;
  @Field({ description: 'Country, at most 40 characters.' })
  country!: string;
  @Field(() => String, { nullable: true, description: 'Anything else, at most 30 characters.' })
  other?: string | null;
}

@InputType({ description: 'A bank account.' })
export class BankAccountInput {
  @Field({ description: 'IBAN, at most 30 characters.' })
  iban!: string;
  @Field({ description: 'BIC, at most 11 characters.' })
  bic!: string;
  @Field({ description: 'Country, at most 40 characters.' })
  country!: string;
}

@InputType({ description: 'A digital-wallet address.' })
export class DigitalWalletInput {
  @Field({ description: 'The address, at most 255 characters.' })
  address!: string;
  @Field({ description: 'The currency’s symbol, at most 16 characters.' })
  currencySymbol!: string;
  @Field(() => Date, { nullable: true, description: 'When it expires; required unless noExpiration.' })
  expire?: Date | null;
  @Field(() => Boolean, { nullable: true, description: 'The address never expires (expire is then ignored).' })
  noExpiration?: boolean | null;
}

@InputType({ description: 'One labelled entry of a user.' })
export class LabelledEntryRefInput {
  @Field({ description: 'Whose entry (username).' })
  username!: string;
  @Field(() => LabelledKind, { description: 'Which collection.' })
  kind!: LabelledKind;
  @Field({ description: 'The entry’s label.' })
  label!: string;
}

@InputType({ description: 'A labelled entry to remove.' })
export class RemoveLabelledEntryInput extends LabelledEntryRefInput {
  @Field(() => Boolean, { nullable: true, description: 'PHONE: remove the last validated number too, allowed only when the user has TOTP enabled (else CONFLICT).' })
  force?: boolean | null;
}

@InputType({ description: 'The value of an entry: the one field of its collection’s shape.' })
export class LabelledValueInput {
  @Field(() => String, { nullable: true, description: 'EMAIL: the address.' })
  emailAddress?: string | null;
  @Field(() => String, { nullable: true, description: 'PHONE: the number, in international form.' })
  phoneNumber?: string | null;
  @Field(() => String, { nullable: true, description: 'PUBLIC_KEY: the key.' })
  publicKey?: string | null;
  @Field(() => AddressInput, { nullable: true, description: 'ADDRESS.' })
  address?: AddressInput | null;
  @Field(() => BankAccountInput, { nullable: true, description: 'BANK_ACCOUNT.' })
  bankAccount?: BankAccountInput | null;
  @Field(() => DigitalWalletInput, { nullable: true, description: 'DIGITAL_WALLET.' })
  digitalWallet?: DigitalWalletInput | null;
}

@InputType({ description: 'A new labelled entry (the user, or instance admins).' })
export class AddLabelledEntryInput extends LabelledEntryRefInput {
  @Field(() => LabelledValueInput, { description: 'Its value.' })
  value!: LabelledValueInput;
}

@InputType({ description: 'A change of a labelled entry: a new label, a new value, or both.' })
export class UpdateLabelledEntryInput extends LabelledEntryRefInput {
  @Field(() => String, { nullable: true, description: 'The new label (unique in the collection).' })
  newLabel?: string | null;
  @Field(() => LabelledValueInput, { nullable: true, description: 'The new value.' })
  value?: LabelledValueInput | null;
}

@InputType({ description: 'One labelled entry of a new user.' })
export class NewLabelledEntryInput {
  @Field(() => LabelledKind, { description: 'Which collection.' })
  kind!: LabelledKind;
  @Field({ description: 'The entry’s label.' })
  label!: string;
  @Field(() => LabelledValueInput, { description: 'Its value.' })
  value!: LabelledValueInput;
}

@InputType({ description: 'A new user with their labelled entries (instance admins).' })
export class CreateUserWithEntriesInput {
  @Field({ description: 'Username: 2 to 30 lower-case letters and digits.' })
  username!: string;
  @Field(() => String, { nullable: true, description: 'Given name.' })
  firstName?: string | null;
  @Field(() => String, { nullable: true, description: 'Family name.' })
  lastName?: string | null;
  @Field(() => [NewLabelledEntryInput], { description: 'Emails, phones, keys, addresses, bank accounts, wallet addresses.' })
  entries!: NewLabelledEntryInput[];
}

@ReadsNoRow()
@ObjectType({ description: 'Result of a labelled-entry mutation.' })
export class LabelledEntryPayload {
  @Field(() => User, { nullable: true, description: 'The user, with their collections as they are now.' })
  user?: User | null;
  @Field(() => String, { nullable: true, description: 'The entry’s label after the change (null after a removal).' })
  label?: string | null;
  @Field(() => [UserError], { description: 'Expected failures.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'Result of sending a validation code to an email address or phone number.' })
export class ContactValidationPayload {
  @Field(() => ID, { nullable: true, description: 'The key that names this validation: give it back with the code (the contact’s global id).' })
  validationKey?: string | null;
  @Field(() => [UserError], { description: 'Expected failures.' })
  userErrors!: UserError[];
}
