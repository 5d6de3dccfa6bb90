/** Contracts of public self-registration (members and communities) with consent per purpose. */
import { z } from 'zod';
import { NewCommunityInput, NewMemberInput } from './schemas.ts';

export const ConsentInput = z.object({
  purpose: z.string().trim().min(1).max(40),
  version: z.number().int().positive(),
  granted: z.boolean(),
});

const consents = z.array(ConsentInput).min(1).max(10).describe('One answer per purpose, with the version of the text shown');

export const ConsentTextList = z.object({
  items: z.array(z.object({ purpose: z.string(), version: z.number(), required: z.boolean(), text: z.string() })),
});

/** The coordinator form's fields without community links, plus consents and an optional password. */
export const MemberRegistrationInput = NewMemberInput.omit({ communities: true })
  .extend({
    consents,
    password: z.string().min(10, 'password_too_short').max(200).optional().describe('Optional; with an e-mail it creates a login (role member)'),
  })
  .meta({ id: 'MemberRegistrationInput' });

export const CommunityRegistrationInput = NewCommunityInput.extend({
  contactName: z.string().trim().min(2).max(120),
  consents,
}).meta({ id: 'CommunityRegistrationInput' });

export const RegistrationResult = z.object({ reference: z.string(), status: z.literal('pending') });
