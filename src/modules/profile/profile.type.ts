// GraphQL types of a user's labelled profile entries: postal addresses, bank accounts and
// digital-wallet addresses, each named by a label unique per user and kind. Visible to the user
// and instance admins (profile.service.ts).
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { ReadsWholeRow } from '../../core/read/reads.js';
import type { ProfileEntryRow } from './profile.repo.js';

/** The labelled collections of a user, across modules: contacts and keys live in the users module. */
export enum LabelledKind {
  EMAIL = 'email',
  PHONE = 'phone',
  PUBLIC_KEY = 'public_key',
  ADDRESS = 'address',
  BANK_ACCOUNT = 'bank_account',
  DIGITAL_WALLET = 'digital_wallet',
}
registerEnumType(LabelledKind, {
  name: 'LabelledKind',
  description: 'A collection of a user’s labelled entries (a label names one entry per user and collection).',
  valuesConfig: {
    EMAIL: { description: 'Email addresses (the user’s email contacts).' },
    PHONE: { description: 'Phone numbers (the user’s phone contacts).' },
    PUBLIC_KEY: { description: 'Labelled public keys.' },
    ADDRESS: { description: 'Postal addresses.' },
    BANK_ACCOUNT: { description: 'Bank accounts.' },
    DIGITAL_WALLET: { description: 'Digital-wallet (cryptocurrency) addresses.' },
  },
});

const text = (row: ProfileEntryRow, key: string): string => (typeof row.data[key] === 'string' ? (row.data[key] as string) : '');
const optional = (row: ProfileEntryRow, key: string): string | null => (typeof row.data[key] === 'string' ? (row.data[key] as string) : null);

@ReadsWholeRow()
@ObjectType({ description: 'A postal address of a user.' })
export class Address {
  @Field({ description: 'The user’s label for it, unique among their addresses.' })
  label!: string;
  @Field({ description: 'Street.' })
  street!: string;
  @Field({ description: 'House number.' })
  nr!: string;
  @Field({ description: 'City.' })
  city!: string;
  @Field({ description: 'Postal code.' })
  postalCode!: string;
  @Field({ description: 'Country.' })
  country!: string;
  @Field(() => String, { nullable: true, description: 'Anything else (box, floor).' })
  other!: string | null;
  @Field({ description: 'When it was added.' })
  createdAt!: Date;

  static from(row: ProfileEntryRow): Address {
    return Object.assign(new Address(), {
      label: row.label,
      street: text(row, 'street'),
      nr: text(row, 'nr'),
      city: text(row, 'city'),
      postalCode: text(row, 'postalcode'),
      country: text(row, 'country'),
      other: optional(row, 'other'),
      createdAt: row.createdAt,
    });
  }
}

@ReadsWholeRow()
@ObjectType({ description: 'A bank account of a user.' })
export class BankAccount {
  @Field({ description: 'The user’s label for it, unique among their bank accounts.' })
  label!: string;
  @Field({ description: 'IBAN.' })
  iban!: string;
  @Field({ description: 'BIC (SWIFT code).' })
  bic!: string;
  @Field({ description: 'Country of the bank.' })
  country!: string;
  @Field({ description: 'When it was added.' })
  createdAt!: Date;

  static from(row: ProfileEntryRow): BankAccount {
    return Object.assign(new BankAccount(), { label: row.label, iban: text(row, 'iban'), bic: text(row, 'bic'), country: text(row, 'country'), createdAt: row.createdAt });
  }
}

@ReadsWholeRow()
@ObjectType({ description: 'A digital-wallet (cryptocurrency) address of a user.' })
export class DigitalAssetAddress {
  @Field({ description: 'The user’s label for it, unique among their wallet addresses.' })
  label!: string;
  @Field({ description: 'The address.' })
  address!: string;
  @Field({ description: 'The currency’s symbol (e.g. "BTC").' })
  currencySymbol!: string;
  @Field(() => Date, { nullable: true, description: 'When the address stops being valid; null when it does not expire.' })
  expire!: Date | null;
  @Field({ description: 'Whether the address never expires (then `expire` is null).' })
  noExpiration!: boolean;
  @Field({ description: 'When it was added.' })
  createdAt!: Date;

  static from(row: ProfileEntryRow): DigitalAssetAddress {
    const expire = optional(row, 'expire');
    return Object.assign(new DigitalAssetAddress(), {
      label: row.label,
      address: text(row, 'address'),
      currencySymbol: text(row, 'currencysymbol'),
      expire: expire ? new Date(expire) : null,
      noExpiration: row.data.noexpiration === true,
      createdAt: row.createdAt,
    });
  }
}
